/**
 * HTTPS: certificates and their reloading, the TLS engine and context, handshake accounting, HSTS
 * and the redirecting cleartext listener. Free to change; do not use.
 */
package dev.spindle.http.internal.tls;
