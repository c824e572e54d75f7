/** Implementation details of the core module; free to change between any two versions. Do not use. */
package dev.spindle.core.internal;
