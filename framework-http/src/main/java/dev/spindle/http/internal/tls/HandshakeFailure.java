package dev.spindle.http.internal.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Why a TLS handshake failed, as the {@code reason} tag of the failure counter. */
enum HandshakeFailure {
    /** The client did not finish within the handshake timeout. */
    TIMEOUT,
    /** The client spoke something else, typically cleartext HTTP to the HTTPS port. */
    NOT_TLS,
    /** No TLS version in common (old clients offering TLS 1.0 or 1.1 only). */
    PROTOCOL_VERSION,
    /** No cipher suite in common. */
    NO_SHARED_CIPHER,
    /** The client refused the server's certificate (untrusted, expired or for another name). */
    CERTIFICATE_REJECTED,
    /** The client closed or reset the connection mid-handshake. */
    CLOSED,
    /** Anything else. */
    OTHER;

    /** The tag value, e.g. {@code not_tls}. */
    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason behind a failed handshake's cause (either engine's wording). */
    static HandshakeFailure of(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof NotSslRecordException) {
                return NOT_TLS;
            }
            if (t instanceof ClosedChannelException) {
                return CLOSED;
            }
            if (t instanceof SSLException) {
                HandshakeFailure fromMessage = fromMessage(String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT));
                if (fromMessage != OTHER) {
                    return fromMessage;
                }
            } else if (t instanceof IOException) {
                return CLOSED;
            }
        }
        return OTHER;
    }

    private static HandshakeFailure fromMessage(String message) {
        if (message.contains("unsupported_protocol") || message.contains("protocol") && (message.contains("version")
                || message.contains("not enabled") || message.contains("not supported") || message.contains("disabled"))) {
            return PROTOCOL_VERSION;
        }
        if (message.contains("cipher")) {
            return NO_SHARED_CIPHER;
        }
        if (message.contains("certificate") || message.contains("unknown_ca") || message.contains("unknown ca")) {
            // the client's alert: certificate_unknown, bad_certificate, unknown_ca
            return CERTIFICATE_REJECTED;
        }
        if (message.contains("closed") || message.contains("reset") || message.contains("eof")) {
            return CLOSED;
        }
        return OTHER;
    }
}
