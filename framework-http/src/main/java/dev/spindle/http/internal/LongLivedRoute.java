package dev.spindle.http.internal;

import dev.spindle.http.Context;
import dev.spindle.http.Handler;
import dev.spindle.http.Response;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The handler of a route that serves long-lived connections (SSE, WebSocket), with the meters of
 * the route. The server registers them when it starts, so that dashboards and alerts see a route
 * with no connection yet as 0, not as "no data".
 *
 * @param handler serves a request
 * @param meters registers the meters of a route template on the server's long-lived connections
 */
public record LongLivedRoute(Handler handler, BiConsumer<LongLivedConnections, String> meters) implements Handler {

    @Override
    public CompletionStage<Response> handle(Context ctx) throws Exception {
        return handler.handle(ctx);
    }
}
