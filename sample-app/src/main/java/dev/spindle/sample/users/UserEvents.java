package dev.spindle.sample.users;

import dev.spindle.http.Middleware;
import dev.spindle.http.Routes;
import dev.spindle.state.Broadcaster;
import dev.spindle.state.Subscription;

/**
 * Changes to users, live: every successful create, update and delete is published to the
 * broadcaster's {@code users} topic (Redis with {@code REDIS_URL}, so a change made on one replica
 * reaches the clients of all), and clients follow it as Server-Sent Events ({@code GET
 * /api/v1/events}) or over a WebSocket ({@code GET /api/v1/live}). Events are small JSON objects:
 * {@code {"type":"user.created","id":"..."}}; a client that wants the user reads it.
 */
public final class UserEvents {

    static final String TOPIC = "users";

    private final Broadcaster broadcaster;

    public UserEvents(Broadcaster broadcaster) {
        this.broadcaster = broadcaster;
    }

    /** Publishes the change a successful write made; on the user write routes. */
    public Middleware publishing() {
        return (ctx, next) -> next.handle(ctx).thenApply(response -> {
            if (response.status() / 100 == 2) {
                String id = switch (ctx.method()) {
                    case POST -> response.header("Location").map(location ->
                            location.substring(location.lastIndexOf('/') + 1)).orElse(null);
                    case PUT, PATCH, DELETE -> ctx.pathParam("id");
                    default -> null;
                };
                String type = switch (ctx.method()) {
                    case POST -> "user.created";
                    case DELETE -> "user.deleted";
                    default -> "user.updated";
                };
                if (id != null) {
                    // Fire and forget: the write is done; a lost event costs a client a refresh, not data.
                    broadcaster.publish(TOPIC, "{\"type\":\"" + type + "\",\"id\":\"" + id + "\"}");
                }
            }
            return response;
        });
    }

    /** {@code GET /events} (SSE) and {@code GET /live} (WebSocket) under {@code api}. */
    public void declare(Routes api) {
        api.sse("/events", (ctx, sink) -> {
            Subscription feed = broadcaster.subscribe(TOPIC, sink.executor(), sink::send);
            sink.onClose(feed::close);
        });
        api.websocket("/live", ws -> {
            Subscription feed = broadcaster.subscribe(TOPIC, ws.executor(), ws::send);
            ws.onClose(status -> feed.close());
        });
    }
}
