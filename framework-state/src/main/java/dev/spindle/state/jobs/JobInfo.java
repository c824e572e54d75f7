package dev.spindle.state.jobs;

import java.time.Instant;
import java.util.Optional;

/**
 * What the store knows about a job, for {@link JobQueue#info} and the operator routes. Data,
 * progress and result are the stored JSON.
 *
 * @param attemptsMade attempts started so far
 * @param runAt        when it became (or becomes) ready to run
 * @param error        the last failure's message
 * @param stack        the last failure's stack trace
 */
public record JobInfo(String queue, String id, JobState state, String data, int priority, int attemptsMade,
                      int maxAttempts, Instant createdAt, Instant runAt, Optional<Instant> finishedAt,
                      Optional<String> progress, Optional<String> result, Optional<String> error,
                      Optional<String> stack, int stalls) {}
