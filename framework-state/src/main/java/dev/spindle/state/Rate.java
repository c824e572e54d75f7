package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A rate: at most {@code limit} requests per {@code period} for each key, as a token bucket of
 * {@code limit} tokens refilled evenly over the period (GCRA): a client may burst up to the
 * limit, then gets one more request every {@code period / limit}. The name tells rates apart in
 * Redis keys, metrics and the {@code RateLimit-Policy} header.
 *
 * @param name a short token such as {@code login} or {@code api}
 * @param limit requests per period, at least 1
 * @param period the window the limit applies to, at least 1 ms
 */
public record Rate(String name, long limit, Duration period) {

    /** Checks the parts where they enter. */
    public Rate {
        requireNonNull(name, "name");
        requireNonNull(period, "period");
        if (!name.matches("[a-z0-9][a-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("name: " + name + " (expected: a short lower-case token like login)");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
        }
        if (period.toMillis() < 1) {
            throw new IllegalArgumentException("period: " + period + " (expected: >= 1ms)");
        }
    }

    /** {@code limit} requests per {@code period}. */
    public static Rate of(String name, long limit, Duration period) {
        return new Rate(name, limit, period);
    }

    /** Time between two requests once the burst is spent, in microseconds (at least 1). */
    public long intervalMicros() {
        return Math.max(1, period.toNanos() / 1000 / limit);
    }

    /** The period in microseconds. */
    public long periodMicros() {
        return period.toNanos() / 1000;
    }
}
