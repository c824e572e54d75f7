package dev.spindle.sample.web;

import dev.spindle.http.Context;
import dev.spindle.http.Response;
import dev.spindle.validation.InvalidRequestException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

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
        if (millis < 0 || millis > MAX_MILLIS) {
            throw InvalidRequestException.of("millis", "must be between 0 and " + MAX_MILLIS);
        }
        // Scheduled on the request's own event loop: no thread sleeps, no lock is taken.
        return ctx.delay(Duration.ofMillis(millis)).thenApply(done -> Response.json(Map.of("delayedMillis", millis)));
    }
}
