package dev.spindle.http;

import java.util.concurrent.CompletionStage;

/**
 * Wraps the handlers of a scope (the whole app, a group or one route). It may act before and
 * after {@code next}, answer without calling it, or change its response. The handler's failures
 * reach middleware as problem responses already (so a header added here is on error answers too);
 * a failure thrown by middleware itself is turned into a problem by the framework. Middleware runs
 * on the event loop like handlers do.
 *
 * <pre>{@code
 * Middleware timing = (ctx, next) -> {
 *     long start = System.nanoTime();
 *     return next.handle(ctx).thenApply(r -> r.header("Server-Timing", "app;dur=" + (System.nanoTime() - start) / 1e6));
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Middleware {

    /** Handles {@code ctx}, usually by calling {@code next}. */
    CompletionStage<Response> handle(Context ctx, Handler next) throws Exception;
}
