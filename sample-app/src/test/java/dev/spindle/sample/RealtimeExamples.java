package dev.spindle.sample;

import dev.spindle.http.OverflowPolicy;
import dev.spindle.http.Spindle;
import dev.spindle.http.SseEvent;
import dev.spindle.http.SseOptions;
import dev.spindle.http.WebSocketOptions;
import dev.spindle.state.Broadcaster;
import dev.spindle.state.State;
import dev.spindle.state.Subscription;
import java.time.Duration;

/** The README's WebSocket and SSE examples, compiled with the build and run by {@code RealtimeExamplesTest}. */
final class RealtimeExamples {

    private RealtimeExamples() {}

    static void install(Spindle app, State state) {
        // README:websocket:start
        Broadcaster rooms = state.broadcaster();              // Redis Streams with REDIS_URL: every instance
        app.use(state.sessions());                            // middleware runs before the upgrade
        app.websocket("/ws/chat/{room}", WebSocketOptions.builder()
                .subprotocols("chat.v1")
                .maxMessageSize(64 << 10)                     // larger: closed with 1009
                .maxQueuedBytes(256 << 10)                    // per socket, for a client that reads slowly...
                .overflow(OverflowPolicy.DROP_OLDEST)         // ...which loses old lines rather than our memory
                .build(), ws -> {
            String topic = "room:" + ws.pathParam("room");
            Subscription feed = rooms.subscribe(topic, ws.executor(), ws::send);
            ws.onText(line -> rooms.publish(topic, line));
            ws.onClose(status -> feed.close());
        });
        // README:websocket:end

        // README:sse:start
        app.sse("/events/prices", SseOptions.builder()
                .heartbeat(Duration.ofSeconds(15))            // a comment line when quiet, for proxies
                .shutdownEvent(SseEvent.of("restarting").event("bye"))
                .build(), (ctx, sink) -> {
            sink.lastEventId().ifPresent(id -> sink.comment("resuming after " + id));   // replay from your store
            Subscription feed = rooms.subscribe("prices", sink.executor(),
                    price -> sink.send(SseEvent.of(price).event("price")));
            sink.onClose(feed::close);
        });
        // README:sse:end
    }
}
