package dev.spindle.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The moment by which a piece of work must be done, carried from the request to everything it
 * starts: queued offload tasks past it are dropped, and Redis or outbound calls are bounded by
 * {@link #cap(Duration)}. Based on {@link System#nanoTime()}, so wall-clock jumps do not matter.
 *
 * <pre>{@code
 * Duration timeout = ctx.deadline().cap(Duration.ofSeconds(1));   // never beyond the request
 * }</pre>
 */
public final class Deadline {

    private static final Deadline NONE = new Deadline(Long.MAX_VALUE, true);
    private static final long MIN_MARGIN_NANOS = 10_000_000L;
    private static final long MAX_MARGIN_NANOS = 250_000_000L;

    private final long nanoTime;
    private final boolean unbounded;

    private Deadline(long nanoTime, boolean unbounded) {
        this.nanoTime = nanoTime;
        this.unbounded = unbounded;
    }

    /** A deadline {@code timeout} from now. */
    public static Deadline in(Duration timeout) {
        requireNonNull(timeout, "timeout");
        // Durations beyond what nano time can hold (Duration.ofDays(365 * 300)) mean "no deadline", never "already past".
        long nanos = timeout.compareTo(Duration.ofNanos(Long.MAX_VALUE / 4)) > 0 ? Long.MAX_VALUE / 4 : timeout.toNanos();
        return new Deadline(System.nanoTime() + nanos, false);
    }

    /** A deadline at a {@link System#nanoTime()} instant. */
    public static Deadline atNanoTime(long nanoTime) {
        return new Deadline(nanoTime, false);
    }

    /** No deadline: never expires (background work that is bounded some other way). */
    public static Deadline none() {
        return NONE;
    }

    /** Whether this deadline never expires. */
    public boolean isUnbounded() {
        return unbounded;
    }

    /** The {@link System#nanoTime()} instant, {@link Long#MAX_VALUE} when unbounded. */
    public long nanoTime() {
        return nanoTime;
    }

    /** Nanoseconds left, never negative. */
    public long remainingNanos() {
        if (unbounded) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, nanoTime - System.nanoTime());
    }

    /** Time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(remainingNanos());
    }

    /** Whether the deadline has passed. */
    public boolean isExpired() {
        return !unbounded && System.nanoTime() - nanoTime >= 0;
    }

    /** The shorter of {@code timeout} and the time left: the timeout to give a call made under this deadline. */
    public Duration cap(Duration timeout) {
        requireNonNull(timeout, "timeout");
        long remaining = remainingNanos();
        return remaining < timeout.toNanos() ? Duration.ofNanos(remaining) : timeout;
    }

    /**
     * The timeout for a call made under this deadline whose own failure should be the answer: the
     * shorter of {@code timeout} and the time left less a margin (a fifth of it, 10 ms to 250 ms), so
     * the call times out with its own error (an outbound 504 naming the upstream) before the request's
     * deadline answers a generic 503 for it. Zero when no time is left.
     */
    public Duration callTimeout(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (unbounded) {
            return timeout;
        }
        long remaining = remainingNanos();
        long margin = Math.min(MAX_MARGIN_NANOS, Math.max(MIN_MARGIN_NANOS, remaining / 5));
        long left = Math.max(0, remaining - margin);
        return left < timeout.toNanos() ? Duration.ofNanos(left) : timeout;
    }

    @Override
    public String toString() {
        return unbounded ? "Deadline[none]" : "Deadline[in " + remaining().toMillis() + " ms]";
    }
}
