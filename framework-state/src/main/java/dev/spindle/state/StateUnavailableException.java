package dev.spindle.state;

import java.time.Duration;

/**
 * The state backend (Redis) cannot serve a call right now: disconnected, too slow for the
 * command timeout or the request's deadline, overloaded, or failing over; or a cache load did not
 * finish within its bound (or before the waiting request's deadline). Apps that use
 * {@link State#install} answer it with a 503 problem and {@code Retry-After}; the call may be
 * retried once Redis is back, which the connection notices by itself.
 */
public final class StateUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    /** An outage described by {@code message}, caused by {@code cause} (may be null). */
    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
        this.retryAfter = Duration.ofSeconds(1);
    }

    /** When a client might try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
