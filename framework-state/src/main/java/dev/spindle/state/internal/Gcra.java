package dev.spindle.state.internal;

import dev.spindle.state.Rate;
import dev.spindle.state.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The generic cell rate algorithm, which the Lua script of {@link RedisRateLimiter} mirrors line
 * for line: a key's state is one number, its theoretical arrival time (TAT), in microseconds.
 */
final class Gcra {

    private Gcra() {}

    static long nowMicros(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /** The new TAT if allowed, or the stored one unchanged if not, with the decision. */
    record Step(long tat, RateLimiter.Decision decision) {}

    static Step step(Rate rate, Long storedTat, long now) {
        long interval = rate.intervalMicros();
        long period = rate.periodMicros();
        long tat = storedTat == null ? now : Math.max(storedTat, now);
        long newTat = tat + interval;
        long allowAt = newTat - period;
        if (now < allowAt) {
            return new Step(storedTat == null ? 0 : storedTat, decision(rate, false, allowAt - now, tat - now));
        }
        return new Step(newTat, decision(rate, true, 0, newTat - now));
    }

    /** The decision from the script's numbers: allowed, microseconds to retry, microseconds to full. */
    static RateLimiter.Decision decision(Rate rate, boolean allowed, long retryMicros, long resetMicros) {
        long remaining = allowed ? Math.max(0, (rate.periodMicros() - resetMicros) / rate.intervalMicros()) : 0;
        return new RateLimiter.Decision(allowed, Math.min(remaining, rate.limit()), Duration.ofNanos(retryMicros * 1000),
                Duration.ofNanos(resetMicros * 1000));
    }
}
