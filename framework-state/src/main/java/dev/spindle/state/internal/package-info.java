/** Implementation of framework-state: not API, free to change without notice. */
package dev.spindle.state.internal;
