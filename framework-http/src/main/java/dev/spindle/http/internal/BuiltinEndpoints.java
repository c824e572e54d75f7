package dev.spindle.http.internal;

import dev.spindle.core.Metrics;
import dev.spindle.http.HealthCheck;
import dev.spindle.http.Response;
import dev.spindle.http.Routes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The endpoints every app gets: Prometheus metrics (text, or OpenMetrics when the scraper's
 * {@code Accept} asks for it), liveness, and readiness over the registered checks (down while
 * draining).
 */
final class BuiltinEndpoints {

    private static final long CHECK_TIMEOUT_MILLIS = 2000;
    private static final Response LIVE = Response.json(Map.of("status", "UP"));

    private BuiltinEndpoints() {}

    /** Routes the three endpoints on {@code routes}. */
    static void register(Routes routes, String metricsPath, String livePath, String readyPath, Metrics metrics,
                         Map<String, HealthCheck> checks, BooleanSupplier draining) {
        routes.get(metricsPath, ctx -> {
            String contentType = Metrics.contentTypeFor(ctx.header("Accept").orElse(null));
            // A scrape walks every meter and takes their locks: off the loop, and on the registry's own
            // thread rather than the blocking pool, so that a saturated pool cannot take metrics down with it.
            return metrics.scrapeAsync(contentType)
                    .thenApplyAsync(exposition -> Response.bytes(exposition, contentType), ctx.executor());
        });
        routes.get(livePath, ctx -> LIVE.completed());
        routes.get(readyPath, ctx -> ready(checks, draining));
    }

    /**
     * Routes one endpoint per health group beside the readiness endpoint ({@code /health/redis}
     * beside {@code /health/ready}): 200 while the group's checks are up, 503 otherwise, whatever
     * readiness says, so a dependency can be watched without taking the instance out of rotation.
     * The groups' maps are read at each request, not copied.
     */
    static void registerGroups(Routes routes, String readyPath, Map<String, Map<String, HealthCheck>> groups) {
        String base = readyPath.substring(0, readyPath.lastIndexOf('/') + 1);
        groups.forEach((group, checks) -> {
            Map<String, HealthCheck> live = Collections.unmodifiableMap(checks);
            routes.get(base + group, ctx -> ready(live, () -> false));
        });
    }

    private static CompletionStage<Response> ready(Map<String, HealthCheck> checks, BooleanSupplier draining) {
        if (draining.getAsBoolean()) {
            return Response.json(Map.of("status", "DOWN", "reason", "shutting down")).status(503).completed();
        }
        Map<String, CompletableFuture<HealthCheck.Result>> running = new LinkedHashMap<>();
        checks.forEach((name, check) -> running.put(name, run(check)));
        return CompletableFuture.allOf(running.values().toArray(new CompletableFuture<?>[0])).handle((ignored, e) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            Map<String, Object> details = new LinkedHashMap<>();
            boolean up = true;
            for (Map.Entry<String, CompletableFuture<HealthCheck.Result>> entry : running.entrySet()) {
                HealthCheck.Result result = entry.getValue().join();
                up &= result.healthy();
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("status", result.healthy() ? "UP" : "DOWN");
                if (result.detail() != null) {
                    detail.put("detail", result.detail());
                }
                details.put(entry.getKey(), detail);
            }
            body.put("status", up ? "UP" : "DOWN");
            body.put("checks", details);
            return Response.json(body).status(up ? 200 : 503);
        });
    }

    private static CompletableFuture<HealthCheck.Result> run(HealthCheck check) {
        CompletionStage<HealthCheck.Result> stage;
        try {
            stage = check.check();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(HealthCheck.Result.down(describe(e)));
        }
        return stage.toCompletableFuture().copy()
                .orTimeout(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .exceptionally(e -> HealthCheck.Result.down(e instanceof java.util.concurrent.TimeoutException
                        ? "no answer within " + CHECK_TIMEOUT_MILLIS + " ms" : describe(Failures.unwrap(e))))
                .thenApply(result -> result == null ? HealthCheck.Result.down("check returned null") : result);
    }

    /** What went wrong, without exception class names (the endpoint is reachable by anyone who can reach the app). */
    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? "check failed" : message;
    }
}
