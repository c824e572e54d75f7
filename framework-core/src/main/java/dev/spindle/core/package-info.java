/**
 * Spindle's core: event loops and transport, typed configuration, the shared metrics registry
 * and the process lifecycle. Everything here is public API.
 */
package dev.spindle.core;
