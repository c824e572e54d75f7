/** Static-file serving behind {@code dev.spindle.http.StaticFiles}: internal, free to change. */
package dev.spindle.http.internal.files;
