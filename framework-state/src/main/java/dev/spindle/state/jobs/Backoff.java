package dev.spindle.state.jobs;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a failed job waits before its next attempt: none, fixed, or exponential
 * ({@code base × 2^(retry-1)}), capped, with optional jitter that spreads retries of jobs that
 * failed together (a fraction of the delay drawn at random and subtracted, so a retry is never
 * later than the plain backoff).
 *
 * <pre>{@code
 * Backoff.exponential(Duration.ofSeconds(1)).max(Duration.ofMinutes(5)).jitter(0.2)
 * }</pre>
 */
public record Backoff(Kind kind, Duration base, Duration max, double jitter) {

    /** The shape of the backoff. */
    public enum Kind { NONE, FIXED, EXPONENTIAL }

    public Backoff {
        requireNonNull(kind, "kind");
        requireNonNull(base, "base");
        requireNonNull(max, "max");
        if (base.isNegative()) {
            throw new IllegalArgumentException("base: " + base + " (expected: >= 0)");
        }
        if (max.isNegative()) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= 0)");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0..1)");
        }
    }

    /** Retries at once. */
    public static Backoff none() {
        return new Backoff(Kind.NONE, Duration.ZERO, Duration.ZERO, 0);
    }

    /** Waits {@code delay} before each retry. */
    public static Backoff fixed(Duration delay) {
        return new Backoff(Kind.FIXED, delay, delay, 0);
    }

    /** Waits {@code base}, then twice as long before each further retry, up to a day unless {@link #max} says less. */
    public static Backoff exponential(Duration base) {
        return new Backoff(Kind.EXPONENTIAL, base, Duration.ofDays(1), 0);
    }

    /** This backoff, never waiting longer than {@code max}. */
    public Backoff max(Duration max) {
        return new Backoff(kind, base, max, jitter);
    }

    /** This backoff with up to {@code fraction} (0..1) of each delay taken off at random. */
    public Backoff jitter(double fraction) {
        return new Backoff(kind, base, max, fraction);
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delay(int retry, RandomGenerator random) {
        long millis = switch (kind) {
            case NONE -> 0;
            case FIXED -> base.toMillis();
            case EXPONENTIAL -> {
                int shift = Math.min(Math.max(retry - 1, 0), 40);
                long grown = base.toMillis() << shift;
                yield grown < 0 || (shift > 0 && grown >> shift != base.toMillis()) ? Long.MAX_VALUE : grown;
            }
        };
        millis = Math.min(millis, max.toMillis());
        if (jitter > 0 && millis > 0) {
            millis -= (long) (millis * jitter * random.nextDouble());
        }
        return Duration.ofMillis(millis);
    }

    /** The compact form stored with a job: {@code kind:baseMillis:maxMillis:jitter}. */
    public String encode() {
        return kind.name().charAt(0) + ":" + base.toMillis() + ":" + max.toMillis() + ":" + jitter;
    }

    /** Reads {@link #encode()}'s form. */
    public static Backoff decode(String encoded) {
        String[] parts = encoded.split(":");
        Kind kind = switch (parts[0]) {
            case "F" -> Kind.FIXED;
            case "E" -> Kind.EXPONENTIAL;
            default -> Kind.NONE;
        };
        return new Backoff(kind, Duration.ofMillis(Long.parseLong(parts[1])), Duration.ofMillis(Long.parseLong(parts[2])),
                Double.parseDouble(parts[3]));
    }
}
