package dev.spindle.state.jobs;

/** Where a job is in its life. */
public enum JobState {
    /** Ready to run, waiting for a worker (also while its queue is paused). */
    WAITING,
    /** Waiting for its run time: a delay, or the backoff before a retry. */
    DELAYED,
    /** Leased by a worker and running. */
    ACTIVE,
    /** Finished successfully (kept as long as the queue's retention says). */
    COMPLETED,
    /** Failed for good: out of attempts, non-retryable, cancelled or stalled too often (the dead letter set). */
    FAILED;

    /** The one-letter code stored with the job. */
    public String code() {
        return switch (this) {
            case WAITING -> "w";
            case DELAYED -> "d";
            case ACTIVE -> "a";
            case COMPLETED -> "c";
            case FAILED -> "f";
        };
    }

    /** The state stored as {@code code}. */
    public static JobState ofCode(String code) {
        return switch (code) {
            case "w" -> WAITING;
            case "d" -> DELAYED;
            case "a" -> ACTIVE;
            case "c" -> COMPLETED;
            case "f" -> FAILED;
            default -> throw new IllegalArgumentException("job state code: " + code + " (expected: w, d, a, c or f)");
        };
    }
}
