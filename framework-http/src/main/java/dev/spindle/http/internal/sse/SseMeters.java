package dev.spindle.http.internal.sse;

import dev.spindle.http.internal.LongLivedConnections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one SSE route: {@code spindle.sse.streams} (open now), {@code spindle.sse.events}
 * (sent), {@code spindle.sse.dropped} (overflow under drop-oldest) and {@code spindle.sse.closes} (reason).
 */
final class SseMeters {

    final AtomicInteger open = new AtomicInteger();
    final Counter events;
    final Counter dropped;
    private final MeterRegistry registry;
    private final String route;

    private SseMeters(MeterRegistry registry, String route) {
        this.registry = registry;
        this.route = route;
        Gauge.builder("spindle.sse.streams", open, AtomicInteger::get).tag("route", route)
                .description("Server-Sent Events streams open now").register(registry);
        this.events = Counter.builder("spindle.sse.events").tag("route", route)
                .description("Server-Sent Events queued for sending (heartbeats not counted)").register(registry);
        this.dropped = Counter.builder("spindle.sse.dropped").tag("route", route)
                .description("Events dropped because the client read too slowly (drop-oldest policy)").register(registry);
    }

    static SseMeters of(LongLivedConnections longLived, String route) {
        return longLived.meters("sse " + route, registry -> new SseMeters(registry, route));
    }

    /** Counts a stream that ended for {@code reason}: client, closed, overflow or shutdown. */
    void closed(String reason) {
        Counter.builder("spindle.sse.closes").tag("route", route).tag("reason", reason)
                .description("Server-Sent Events streams ended, by reason").register(registry).increment();
    }
}
