package dev.spindle.state.jobs;

import java.util.concurrent.CompletionStage;

/**
 * Runs one job. It is called on the worker's executor (the offload pool in an app, never an event
 * loop), so it may compute; blocking I/O belongs on the app's blocking pool. The job completes
 * when the stage does: its value (JSON-serialisable, or null) is kept as the result; an exception
 * fails this attempt and retries it with backoff, unless it is a {@link NonRetryableException}
 * or attempts are used up.
 */
@FunctionalInterface
public interface JobHandler<T> {

    CompletionStage<?> handle(Job<T> job) throws Exception;
}
