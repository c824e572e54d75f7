/** Implementation details of the HTTP module: pipeline, router and writer. Free to change; do not use. */
package dev.spindle.http.internal;
