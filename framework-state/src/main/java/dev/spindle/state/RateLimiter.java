package dev.spindle.state;

import dev.spindle.core.Deadline;
import dev.spindle.state.internal.MemoryRateLimiter;
import dev.spindle.state.internal.RedisRateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Counts requests per key against a {@link Rate}. On Redis every instance shares the count (one
 * Lua script, one round trip per request, one key per client); in memory the count is per
 * process. Both use the same algorithm and the same clock reading, so they decide alike.
 * {@link RateLimit} turns decisions into 429 answers.
 *
 * <pre>{@code
 * RateLimiter logins = state.rateLimiter(Rate.of("login", 5, Duration.ofMinutes(1)));
 * logins.acquire(email, ctx.deadline()).thenApply(decision -> decision.allowed() ? ... : ...);
 * }</pre>
 */
public interface RateLimiter {

    /** A limiter whose counts live in Redis, shared by every instance; instances' clocks must agree (NTP). */
    static RateLimiter redis(RedisConnection redis, Rate rate, Clock clock) {
        return new RedisRateLimiter(redis, rate, clock);
    }

    /** A limiter for one process, keeping at most {@code maxKeys} keys (the least recently used go first). */
    static RateLimiter inMemory(Rate rate, Clock clock, int maxKeys) {
        return new MemoryRateLimiter(rate, clock, maxKeys);
    }

    /** The rate this limiter enforces. */
    Rate rate();

    /**
     * Takes one request for {@code key} if the rate allows it. Fails with
     * {@link StateUnavailableException} when Redis cannot answer within the deadline.
     */
    CompletionStage<Decision> acquire(String key, Deadline deadline);

    /**
     * The outcome of one request.
     *
     * @param allowed whether the request may go ahead
     * @param remaining requests still allowed right now
     * @param retryAfter when a refused request may be retried (zero when allowed)
     * @param reset when the key is back to its full allowance
     */
    record Decision(boolean allowed, long remaining, Duration retryAfter, Duration reset) {}
}
