/**
 * Internal: how the server's listening sockets are laid out over the event loops (one
 * {@code SO_REUSEPORT} socket per loop, or one acceptor) and the per-loop counters that show the
 * spread. Free to change.
 */
package dev.spindle.http.internal.listen;
