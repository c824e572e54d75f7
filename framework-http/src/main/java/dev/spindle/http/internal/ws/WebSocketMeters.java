package dev.spindle.http.internal.ws;

import dev.spindle.http.internal.LongLivedConnections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one WebSocket route: {@code spindle.websocket.connections} (open now),
 * {@code spindle.websocket.messages} (direction in/out), {@code spindle.websocket.dropped}
 * (overflow under drop-oldest) and {@code spindle.websocket.closes} (code, initiator).
 */
final class WebSocketMeters {

    final AtomicInteger open = new AtomicInteger();
    final Counter messagesIn;
    final Counter messagesOut;
    final Counter dropped;
    private final MeterRegistry registry;
    private final String route;

    private WebSocketMeters(MeterRegistry registry, String route) {
        this.registry = registry;
        this.route = route;
        Gauge.builder("spindle.websocket.connections", open, AtomicInteger::get).tag("route", route)
                .description("WebSockets open now").register(registry);
        this.messagesIn = messages("in");
        this.messagesOut = messages("out");
        this.dropped = Counter.builder("spindle.websocket.dropped").tag("route", route)
                .description("Outbound messages dropped because the client read too slowly (drop-oldest policy)")
                .register(registry);
    }

    static WebSocketMeters of(LongLivedConnections longLived, String route) {
        return longLived.meters("websocket " + route, registry -> new WebSocketMeters(registry, route));
    }

    private Counter messages(String direction) {
        return Counter.builder("spindle.websocket.messages").tag("route", route).tag("direction", direction)
                .description("WebSocket messages received (in) and sent (out)").register(registry);
    }

    /** Counts a socket that ended with {@code code}, closed first by {@code initiator} (server, client or none). */
    void closed(int code, String initiator) {
        Counter.builder("spindle.websocket.closes").tag("route", route).tag("code", Integer.toString(code))
                .tag("initiator", initiator)
                .description("WebSockets ended, by close code and by who closed first (1006: without a close handshake)")
                .register(registry).increment();
    }
}
