package dev.spindle.sample.web;

import dev.spindle.http.Context;
import dev.spindle.http.Handler;
import dev.spindle.http.Middleware;
import dev.spindle.http.Response;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * Adds {@code Server-Timing: app;dur=1.234} (milliseconds) to responses, which browsers' developer
 * tools show next to the network timings.
 */
public final class ServerTiming implements Middleware {

    @Override
    public CompletionStage<Response> handle(Context ctx, Handler next) throws Exception {
        long start = System.nanoTime();
        return next.handle(ctx).thenApply(response -> {
            double millis = (System.nanoTime() - start) / 1e6;
            return response.header("Server-Timing", String.format(Locale.ROOT, "app;dur=%.3f", millis));
        });
    }
}
