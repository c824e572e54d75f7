/**
 * HTTP/2 over ALPN and h2c (internal, free to change): the switch from the HTTP/1.1 handlers,
 * Netty's frame codec and multiplexer with Spindle's limits, and each stream's pipeline, which
 * ends in the same request handlers as an HTTP/1.1 connection.
 */
package dev.spindle.http.internal.h2;
