package dev.spindle.http.internal.h2;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http2.Http2Error;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP/2 connection metrics: {@code spindle.http2.connections} (open now) and
 * {@code spindle.http2.connection.errors} (connections closed with {@code GOAWAY} for a protocol
 * error, by error code: {@code enhance_your_calm} is a client that tripped a flood or rapid-reset
 * limit). Requests themselves are in {@code http.server.requests} with {@code protocol=h2}.
 */
final class Http2Metrics {

    private final MeterRegistry registry;
    private final LongAdder open = new LongAdder();

    Http2Metrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("spindle.http2.connections", open, LongAdder::sum)
                .description("HTTP/2 connections open now")
                .register(registry);
    }

    void opened() {
        open.increment();
    }

    void closed() {
        open.decrement();
    }

    void connectionError(Http2Error error) {
        // Rare by nature: registered on first use, so /metrics lists only the errors that happened.
        Counter.builder("spindle.http2.connection.errors")
                .tag("error", error.name().toLowerCase(Locale.ROOT))
                .description("HTTP/2 connections closed with GOAWAY for a protocol error, by error code")
                .register(registry).increment();
    }
}
