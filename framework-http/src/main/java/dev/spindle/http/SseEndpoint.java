package dev.spindle.http;

/**
 * Starts one Server-Sent Events stream once the route's middleware let the request through: keep
 * the sink, feed it from anywhere (a broadcaster, a timer), and release what feeds it in
 * {@link SseSink#onClose(Runnable)}. Runs on the request's event loop, so it must not block.
 *
 * <pre>{@code
 * app.sse("/ticks", (ctx, sink) -> {
 *     Subscription ticks = broadcaster.subscribe("ticks", ctx.executor(), sink::send);
 *     sink.onClose(ticks::close);
 * });
 * }</pre>
 */
@FunctionalInterface
public interface SseEndpoint {

    /**
     * Called once per stream, before its response head is sent. Throwing answers the request with
     * a problem response instead of a stream, as a handler's exception would.
     */
    void open(Context ctx, SseSink sink) throws Exception;
}
