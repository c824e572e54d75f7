package dev.spindle.state.jobs.internal;

import dev.spindle.core.Cancellation;
import dev.spindle.state.jobs.Job;
import dev.spindle.state.jobs.JobCancelledException;
import dev.spindle.state.jobs.LeaseLostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** A job while this worker holds (or believed it held) its lease; the handler's view of it. */
final class LeasedJob<T> implements Job<T> {

    /** Why this worker stopped owning the job before it finished. */
    enum End {
        /** Cancelled on request: fails without retry. */
        CANCELLED,
        /** The worker is stopping past its grace: the lease is released, the job runs elsewhere. */
        RELEASED,
        /** The lease is gone (taken over, or expired while the store was unreachable): hands off. */
        LOST
    }

    private final DefaultQueue<T> queue;
    private final String id;
    private final T data;
    private final int attempt;
    private final int maxAttempts;
    private final long token;
    private final String backoff;
    private final long startedNanos;
    private final CompletableFuture<Void> cancellation = new CompletableFuture<>();
    private final AtomicReference<End> end = new AtomicReference<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile long leaseFromNanos;
    private final CompletableFuture<Object> outcome = new CompletableFuture<>();
    private volatile CompletionStage<?> stage;
    private final AtomicReference<Cancellation> signal = new AtomicReference<>();

    LeasedJob(DefaultQueue<T> queue, String id, T data, int attempt, int maxAttempts, long token, String backoff,
              long leaseFromNanos) {
        this.queue = queue;
        this.id = id;
        this.data = data;
        this.attempt = attempt;
        this.maxAttempts = maxAttempts;
        this.token = token;
        this.backoff = backoff;
        this.leaseFromNanos = leaseFromNanos;
        this.startedNanos = leaseFromNanos;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String queue() {
        return queue.name();
    }

    @Override
    public T data() {
        return data;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public int maxAttempts() {
        return maxAttempts;
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public boolean stillOwned() {
        return end.get() == null && !finished.get();
    }

    @Override
    public boolean isCancelled() {
        return cancellation.isDone();
    }

    @Override
    public CompletionStage<Void> cancellation() {
        return cancellation.minimalCompletionStage();
    }

    @Override
    public Cancellation cancellationSignal() {
        Cancellation existing = signal.get();
        if (existing != null) {
            return existing;
        }
        Cancellation created = Cancellation.create();
        if (!signal.compareAndSet(null, created)) {
            return signal.get();
        }
        // Created on first use: most handlers never ask, and a job costs nothing more then.
        cancellation.whenComplete((ignored, why) -> created.cancel());
        return created;
    }

    @Override
    public CompletionStage<Void> progress(Object progress) {
        if (end.get() == End.LOST) {
            return CompletableFuture.failedFuture(new LeaseLostException(queue.name(), id, token));
        }
        return queue.progress(this, progress);
    }

    String backoff() {
        return backoff;
    }

    long startedNanos() {
        return startedNanos;
    }

    long leaseFromNanos() {
        return leaseFromNanos;
    }

    void renewed(long sentNanos) {
        if (sentNanos > leaseFromNanos) {
            leaseFromNanos = sentNanos;
        }
    }

    @SuppressWarnings("unchecked")
    void running(CompletionStage<?> handlerStage) {
        this.stage = handlerStage;
        ((CompletionStage<Object>) handlerStage).whenComplete((value, failure) -> {
            if (failure != null) {
                outcome.completeExceptionally(failure);
            } else {
                outcome.complete(value);
            }
        });
        if (isCancelled()) {
            cancelStage();
        }
    }

    /** Ends ownership for {@code why} (the first reason wins) and signals the handler; false if already ended. */
    boolean end(End why, String message) {
        if (!end.compareAndSet(null, why)) {
            return false;
        }
        cancellation.completeExceptionally(new JobCancelledException(message));
        cancelStage();
        return true;
    }

    private void cancelStage() {
        outcome.cancel(false);
        CompletionStage<?> running = stage;
        if (running != null) {
            running.toCompletableFuture().cancel(false);
        }
    }

    /** Completes when the handler's stage does, or at once (cancelled) when the job ends early. */
    CompletableFuture<Object> outcome() {
        return outcome;
    }

    End ended() {
        return end.get();
    }

    /** Marks the handler's outcome handled; true only the first time. */
    boolean finish() {
        return finished.compareAndSet(false, true);
    }

    boolean isFinished() {
        return finished.get();
    }
}
