package dev.spindle.sample.web;

import dev.spindle.http.Context;
import dev.spindle.http.Response;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/delay/{millis}}: answers after a pause without holding a thread, the way a
 * slow dependency would. Above the 10-second request deadline it shows the deadline at work
 * (503); during a graceful shutdown it is the request that drains.
 */
public final class Delay {

    /** The longest pause accepted, in milliseconds. */
    public static final int MAX_MILLIS = 60_000;

    private Delay() {}

    /** The handler. */
    public static CompletionStage<Response> handle(Context ctx) {
        int millis = ctx.pathParam("millis", Integer.class);
        Validator.create()
                .check(millis >= 0 && millis <= MAX_MILLIS, "millis", "must be between 0 and " + MAX_MILLIS)
                .throwIfInvalid();
        CompletableFuture<Response> answer = new CompletableFuture<>();
        // The timer thread only hands the completion to this request's event loop.
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, ctx.executor())
                .execute(() -> answer.complete(Response.json(Map.of("delayedMillis", millis))));
        return answer;
    }
}
