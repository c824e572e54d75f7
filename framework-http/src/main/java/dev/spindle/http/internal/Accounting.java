package dev.spindle.http.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a finished request: the in-flight count goes down, the route's timer and the access log
 * get one entry. {@link #started} and {@link #finished} pair up exactly once per exchange: the
 * connection calls {@code finished} from the one place an exchange ends, whatever ended it.
 */
final class Accounting {

    private static final Logger accessLog = LoggerFactory.getLogger("dev.spindle.access");

    /** The status nginx made the convention for "the client closed the connection before the answer". */
    static final int CLIENT_CLOSED_REQUEST = 499;

    private final ServerContext server;
    /** Whether the requests arrive on an HTTP/2 stream: the timers' {@code protocol} tag. */
    private boolean http2;

    Accounting(ServerContext server) {
        this.server = server;
    }

    /** The requests counted from now on arrive on an HTTP/2 stream ({@code protocol=h2}), not HTTP/1.x. */
    void http2(boolean onHttp2Stream) {
        this.http2 = onHttp2Stream;
    }

    void started() {
        server.metrics.started();
    }

    void finished(Exchange exchange, int status, long bytes) {
        long nanos = System.nanoTime() - exchange.startNanos;
        server.metrics.finished();
        (exchange.unknownMethod ? exchange.entry().otherTimers() : exchange.entry().timers(exchange.method))
                .record(status, nanos, http2);
        if (server.accessLog) {
            RequestMdc.enter(exchange.requestId());
            try {
                accessLog.info("{} {} {} {}B {}ms {}", exchange.method, exchange.entry().template(), status, bytes,
                        nanos / 1_000_000, exchange.requestId());
            } finally {
                RequestMdc.exit();
            }
        }
    }
}
