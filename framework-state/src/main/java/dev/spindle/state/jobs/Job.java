package dev.spindle.state.jobs;

import dev.spindle.core.Cancellation;
import java.util.concurrent.CompletionStage;

/**
 * A job as its handler sees it, while this worker holds its lease. The lease is renewed on a
 * timer while the handler runs; {@link #fencingToken()} grows with every lease of the job, so a
 * side effect written with the token (a version column, a conditional put) can refuse a worker
 * that has been superseded.
 */
public interface Job<T> {

    /** The job's id (given at {@code add}, or assigned). */
    String id();

    /** The queue's name. */
    String queue();

    /** The payload. */
    T data();

    /** This attempt's number: 1 the first time, 2 for the first retry, and so on. */
    int attempt();

    /** How many attempts the job has in all. */
    int maxAttempts();

    /** The fencing token of this lease, larger than that of any earlier lease of the same queue. */
    long fencingToken();

    /**
     * Whether this worker still owns the job as far as it knows: false once the lease was lost,
     * the job was cancelled, or the worker fenced itself off after losing its store.
     */
    boolean stillOwned();

    /** Whether the job was cancelled (by {@link JobQueue#cancel}, self-fencing or shutdown past its grace). */
    boolean isCancelled();

    /**
     * Completes, exceptionally with a {@link JobCancelledException}, when the job is cancelled:
     * a handler can stop its work there, like a request whose deadline passed.
     */
    CompletionStage<Void> cancellation();

    /**
     * The job's cancellation as the signal a request has ({@code ctx.onCancel}): framework calls
     * that take a {@link Cancellation} (a Redis call with {@code RedisConnection.call(deadline,
     * signal, ...)}) stop with the job, and {@code signal.onCancel(...)} registers what undoes the
     * handler's own work.
     */
    Cancellation cancellationSignal();

    /**
     * Stores {@code progress} (JSON-serialisable, e.g. a percentage or a small object) for
     * {@link JobQueue#info}; fails with {@link LeaseLostException} once the lease is lost.
     */
    CompletionStage<Void> progress(Object progress);
}
