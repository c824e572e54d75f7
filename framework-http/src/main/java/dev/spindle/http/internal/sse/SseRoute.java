package dev.spindle.http.internal.sse;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Handler;
import dev.spindle.http.Method;
import dev.spindle.http.Response;
import dev.spindle.http.SseEndpoint;
import dev.spindle.http.SseOptions;
import dev.spindle.http.internal.ConnectionHooks;
import dev.spindle.http.internal.LongLivedConnections;
import dev.spindle.http.internal.LongLivedRoute;

/**
 * The handler of an SSE route, innermost in its middleware chain: opens the stream, lets the
 * endpoint attach its feeds, and answers with the stream as a response body, so the response
 * writer's backpressure and the connection's accounting apply to it as to any streamed response.
 */
public final class SseRoute {

    private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

    private SseRoute() {}

    /** The route handler for {@code endpoint}. */
    public static Handler handler(SseOptions options, SseEndpoint endpoint) {
        requireNonNull(options, "options");
        requireNonNull(endpoint, "endpoint");
        Response head = Response.bytes(new byte[0], EVENT_STREAM).header("Cache-Control", "no-cache");
        return new LongLivedRoute(ctx -> {
            if (ctx.method() == Method.HEAD) {
                return head.completed();
            }
            LongLivedConnections longLived = ConnectionHooks.longLived(ctx);
            SseStream stream = new SseStream(ctx, options, SseMeters.of(longLived, ctx.route()), longLived);
            endpoint.open(ctx, stream);
            return Response.stream(stream, EVENT_STREAM)
                    .header("Cache-Control", "no-cache")
                    // nginx: do not buffer this response whatever the location's proxy_buffering says
                    .header("X-Accel-Buffering", "no")
                    .completed();
        }, SseMeters::of);
    }
}
