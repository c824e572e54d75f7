package dev.spindle.http;

import java.util.concurrent.CompletionStage;

/**
 * A readiness check: {@code /health/ready} answers 200 only while every registered check is up.
 * Checks run on an event loop and must not block; one that takes longer than two seconds
 * counts as down.
 *
 * <pre>{@code
 * app.healthCheck("redis", () -> redis.ping().thenApply(pong -> HealthCheck.Result.up()));
 * }</pre>
 */
@FunctionalInterface
public interface HealthCheck {

    /** Checks the dependency. */
    CompletionStage<Result> check();

    /**
     * The outcome of a check.
     *
     * @param healthy whether the dependency is usable
     * @param detail a short explanation, shown on the health endpoint; may be null
     */
    record Result(boolean healthy, String detail) {

        /** The dependency is usable. */
        public static Result up() {
            return new Result(true, null);
        }

        /** The dependency is not usable, and why. */
        public static Result down(String detail) {
            return new Result(false, detail);
        }
    }
}
