package dev.spindle.sample.reputation;

import dev.spindle.http.Context;
import dev.spindle.http.Response;
import dev.spindle.http.Routes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * DEMO UPSTREAM: stands in for a third-party trust-and-safety API, deliberately slow
 * ({@code sample.reputation-delay}, 300 ms by default), so that the cache in front of it and the
 * deadline around it have something to do. {@code GET /upstream/reputation/{id}} answers a
 * score derived from the id. Point {@code sample.reputation-url} at a real service and this route
 * is merely unused.
 */
public final class ReputationService {

    private ReputationService() {}

    /** Declares {@code GET /upstream/reputation/{id}} on {@code app}, answering after {@code delay}. */
    public static void declare(Routes app, Duration delay) {
        app.get("/upstream/reputation/{id}", ctx -> answer(ctx, delay));
    }

    private static CompletionStage<Response> answer(Context ctx, Duration delay) {
        String id = ctx.pathParam("id");
        int score = Math.floorMod(id.hashCode(), 101);
        Reputation reputation = new Reputation(id, score, score >= 50 ? "trusted" : "review", Instant.now());
        // A pause on a timer of the loop, not a sleeping thread.
        return ctx.delay(delay).thenApply(done -> Response.json(reputation));
    }
}
