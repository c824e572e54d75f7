package dev.spindle.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Work refused or dropped because the instance is overloaded or the work's deadline cannot be
 * met. The HTTP layer answers it with 503 and {@code Retry-After}; nothing waits without bound.
 */
public final class OverloadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the work was refused; also the {@code reason} tag of the rejection counters. */
    public enum Reason {
        /** The pool's queue was full. */
        QUEUE_FULL,
        /** The deadline had passed, or the expected queue wait would overrun it. */
        DEADLINE,
        /** The work waited in the queue until its deadline passed and was dropped unrun. */
        EXPIRED_IN_QUEUE,
        /** Too many requests in flight on this instance. */
        IN_FLIGHT,
        /** Event-loop lag stayed above the shedding threshold. */
        LOOP_LAG,
        /** The pool is shutting down. */
        SHUTDOWN;

        /** The tag value, e.g. {@code queue_full}. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;
    private final transient Duration retryAfter;

    /** Refusal for {@code reason}, suggesting a retry after {@code retryAfter}. */
    public OverloadException(Reason reason, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.reason = requireNonNull(reason, "reason");
        this.retryAfter = requireNonNull(retryAfter, "retryAfter");
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }

    /** When a retry might succeed. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
