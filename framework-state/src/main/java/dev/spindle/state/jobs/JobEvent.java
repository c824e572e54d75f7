package dev.spindle.state.jobs;

import java.util.Optional;

/**
 * Something that happened to a job, received by every instance that listens to the queue
 * ({@link JobQueue#events}), through the broadcaster.
 *
 * @param attempt the attempt it happened on (0 when not about an attempt)
 * @param error   the failure's message, for {@link Type#FAILED} and {@link Type#RETRYING}
 */
public record JobEvent(Type type, String queue, String id, int attempt, Optional<String> error) {

    /** What happened. */
    public enum Type {
        /** The job completed. */
        COMPLETED,
        /** An attempt failed and the job will be tried again. */
        RETRYING,
        /** The job failed for good (it is in the failed set). */
        FAILED,
        /** The job's lease expired without renewal; it went back to waiting (or failed, see the store). */
        STALLED,
        /** Cancellation of the job was asked for. */
        CANCEL_REQUESTED
    }
}
