package dev.spindle.state.jobs;

/**
 * Thrown (or used to fail the stage) by a handler whose job must not be retried: it goes to the
 * failed set at once, whatever attempts are left. Other exception types can be declared
 * non-retryable with {@link WorkerOptions#nonRetryable}.
 */
public class NonRetryableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
