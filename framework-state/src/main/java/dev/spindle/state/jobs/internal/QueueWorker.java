package dev.spindle.state.jobs.internal;

import dev.spindle.state.StateClock;
import dev.spindle.state.internal.RedisFailures;
import dev.spindle.state.jobs.Backoff;
import dev.spindle.state.jobs.JobEvent;
import dev.spindle.state.jobs.JobHandler;
import dev.spindle.state.jobs.Worker;
import dev.spindle.state.jobs.WorkerOptions;
import dev.spindle.state.jobs.internal.JobStore.FetchRequest;
import dev.spindle.state.jobs.internal.JobStore.Fetched;
import dev.spindle.state.jobs.internal.JobStore.Leased;
import dev.spindle.state.jobs.internal.JobStore.Outcome;
import dev.spindle.state.jobs.internal.LeasedJob.End;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker of one queue on this instance. Fetching, lease renewal and self-fencing run on timers
 * of the jobs' clock and on the store's replies, never on the handler's threads, so a handler that
 * computes for minutes still has its lease renewed. Handlers run on the worker's executor.
 *
 * <p>Fetches leave at most one in flight: a wake-up during a fetch asks for another right after.
 * An idle worker sleeps until the store's next due time (a delayed job, a lease to reap, a rate
 * window), a wake-up, or the poll interval, whichever is first.
 */
final class QueueWorker<T> implements Worker {

    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
    private static final int STACK_LIMIT = 16_384;

    private enum Phase { RUNNING, STOPPING, STOPPED }

    private final DefaultQueue<T> queue;
    private final JobHandler<T> handler;
    private final WorkerOptions options;
    private final Executor executor;
    private final StateClock clock;
    private final JobStore store;
    private final String owner;
    private final long leaseMs;
    private final long leaseNanos;
    private final Map<String, LeasedJob<T>> running = new ConcurrentHashMap<>();
    private final AtomicBoolean fetching = new AtomicBoolean();
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final AtomicReference<StateClock.Timer> pollTimer = new AtomicReference<>();
    private final AtomicReference<StateClock.Timer> renewTimer = new AtomicReference<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean wakeAsked;
    private volatile Phase phase = Phase.RUNNING;
    private volatile long lastRenewNanos;
    private final AutoCloseable wake;

    QueueWorker(DefaultQueue<T> queue, JobHandler<T> handler, WorkerOptions options, Executor executor, String owner) {
        this.queue = queue;
        this.handler = handler;
        this.options = options;
        this.executor = executor;
        this.clock = queue.jobs().clock();
        this.store = queue.jobs().store();
        this.owner = owner;
        this.leaseMs = options.lease().toMillis();
        this.leaseNanos = options.lease().toNanos();
        this.wake = store.onWake(queue.name(), this::fetchSoon);
    }

    void start() {
        fetchSoon();
    }

    @Override
    public String queue() {
        return queue.name();
    }

    @Override
    public int running() {
        return running.size();
    }

    // ---- fetching

    void fetchSoon() {
        wakeAsked = true;
        if (phase == Phase.RUNNING && fetching.compareAndSet(false, true)) {
            fetch();
        }
    }

    private void fetch() {
        wakeAsked = false;
        int free = options.concurrency() - running.size();
        if (phase != Phase.RUNNING || free <= 0) {
            fetching.set(false);
            return;
        }
        long sentNanos = clock.nanoTime();
        CompletionStage<Fetched> reply;
        try {
            reply = store.fetch(queue.name(), request(free));
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((fetched, failure) -> {
            try {
                if (failure != null) {
                    log.debug("Fetching jobs of queue '{}' failed: {}", queue.name(), failure.toString());
                    armPoll(options.pollInterval().toMillis());
                    return;
                }
                accept(fetched, sentNanos, free);
            } finally {
                fetching.set(false);
            }
            if (wakeAsked && running.size() < options.concurrency()) {
                fetchSoon();
            }
        });
    }

    private FetchRequest request(int max) {
        return new FetchRequest(clock.millis(), leaseMs, max, owner, queue.options().rateMax(),
                queue.options().ratePer().toMillis(), queue.options().globalConcurrency(),
                queue.options().maxStalls(), queue.failedRetention());
    }

    /** Starts what a fetch leased and sleeps until its next due time (or a wake-up). */
    private void accept(Fetched fetched, long sentNanos, int asked) {
        lastRenewNanos = sentNanos;
        recovered(fetched);
        for (Leased leased : fetched.jobs()) {
            start(leased, sentNanos);
        }
        long poll = options.pollInterval().toMillis();
        long due = fetched.nextDueMillis();
        armPoll(due > 0 ? Math.max(0, Math.min(poll, due - clock.millis())) : poll);
        if (fetched.jobs().size() >= asked) {
            wakeAsked = true; // possibly more waiting: look again when a slot frees
        }
    }

    private void recovered(Fetched fetched) {
        for (String id : fetched.stalled()) {
            queue.metrics.stalled.increment();
            queue.events.emit(JobEvent.Type.STALLED, id, 0, null);
        }
        for (String id : fetched.stalledFailed()) {
            queue.metrics.stalled.increment();
            queue.events.emit(JobEvent.Type.FAILED, id, 0, "stalled too often");
        }
    }

    private void armPoll(long delayMillis) {
        if (phase != Phase.RUNNING) {
            return;
        }
        StateClock.Timer next = clock.schedule(this::fetchSoon, Duration.ofMillis(delayMillis));
        StateClock.Timer previous = pollTimer.getAndSet(next);
        if (previous != null) {
            previous.cancel();
        }
    }

    // ---- running a job

    private void start(Leased leased, long sentNanos) {
        T data;
        try {
            data = queue.json().read(leased.data(), queue.type());
        } catch (RuntimeException e) {
            LeasedJob<T> broken = new LeasedJob<>(queue, leased.id(), null, leased.attempt(), leased.maxAttempts(),
                    leased.token(), leased.backoff(), sentNanos);
            running.put(leased.id(), broken);
            settle(broken, null, new dev.spindle.state.jobs.NonRetryableException(
                    "payload is not a " + queue.type().getName() + ": " + e.getMessage(), e));
            return;
        }
        LeasedJob<T> job = new LeasedJob<>(queue, leased.id(), data, leased.attempt(), leased.maxAttempts(),
                leased.token(), leased.backoff(), sentNanos);
        running.put(job.id(), job);
        queue.metrics.waited(clock.millis() - leased.readyAt());
        armRenewal();
        job.outcome().whenComplete((value, failure) -> settle(job, value, failure));
        try {
            executor.execute(() -> run(job));
        } catch (RuntimeException refused) {
            job.end(End.RELEASED, "the worker's executor refused the job");
        }
    }

    private void run(LeasedJob<T> job) {
        if (!job.stillOwned()) {
            return;
        }
        CompletionStage<?> stage;
        try {
            stage = handler.handle(job);
            if (stage == null) {
                stage = CompletableFuture.completedFuture(null);
            }
        } catch (Throwable t) {
            stage = CompletableFuture.failedFuture(t);
        }
        job.running(stage);
    }

    private void settle(LeasedJob<T> job, Object value, Throwable failure) {
        if (!job.finish()) {
            return;
        }
        queue.metrics.processing.record(clock.nanoTime() - job.startedNanos(), TimeUnit.NANOSECONDS);
        End end = job.ended();
        CompletionStage<?> done;
        if (end == End.LOST) {
            done = CompletableFuture.completedFuture(null);
        } else if (end == End.RELEASED) {
            done = store.release(queue.name(), job.id(), job.fencingToken());
        } else if (failure == null && end == null) {
            String result;
            try {
                result = value == null ? "null" : queue.json().write(value);
            } catch (RuntimeException e) {
                failure = e;
                result = null;
            }
            if (result == null) {
                done = failed(job, failure);
            } else {
                // The slot this job frees is filled in the same step: one round trip per job under load.
                FetchRequest next = phase == Phase.RUNNING ? request(1) : null;
                long sentNanos = clock.nanoTime();
                done = store.complete(queue.name(), job.id(), job.fencingToken(), clock.millis(), result,
                        queue.completedRetention(), next).thenApply(completed -> {
                            if (completed.outcome() == Outcome.LOST) {
                                lost(job, "completing it");
                                return null;
                            }
                            queue.metrics.completed.increment();
                            queue.events.emit(JobEvent.Type.COMPLETED, job.id(), job.attempt(), null);
                            if (next == null) {
                                return null;
                            }
                            if (phase == Phase.RUNNING) {
                                accept(completed.fetched(), sentNanos, 1);
                            } else {
                                completed.fetched().jobs().forEach(leased -> start(leased, sentNanos));
                            }
                            return completed.fetched().jobs().isEmpty() ? null : Boolean.TRUE;
                        });
            }
        } else {
            done = failed(job, failure == null ? new java.util.concurrent.CancellationException("cancelled") : failure);
        }
        done.whenComplete((refilled, storeFailure) -> {
            if (storeFailure != null) {
                log.warn("Could not record the outcome of job {} of queue '{}' ({}); it runs again after its lease "
                        + "expires", job.id(), queue.name(), RedisFailures.unwrap(storeFailure).toString());
            }
            running.remove(job.id(), job);
            if (phase == Phase.RUNNING) {
                if (refilled == null || wakeAsked) {
                    fetchSoon();
                }
            } else if (running.isEmpty()) {
                finishStopping();
            }
        });
    }

    private CompletionStage<Void> failed(LeasedJob<T> job, Throwable failure) {
        Throwable cause = unwrap(failure);
        boolean cancelled = job.ended() == End.CANCELLED;
        boolean retry = !cancelled && !options.isNonRetryable(cause);
        long delay = retry ? Backoff.decode(job.backoff()).delay(job.attempt(), ThreadLocalRandom.current()).toMillis()
                : -1;
        String message = cancelled ? "cancelled" : describe(cause);
        return store.fail(queue.name(), job.id(), job.fencingToken(), clock.millis(), message, stack(cause), delay,
                queue.failedRetention()).thenApply(outcome -> {
                    switch (outcome) {
                        case LOST -> lost(job, "failing it");
                        case RETRY -> {
                            queue.metrics.retried.increment();
                            queue.events.emit(JobEvent.Type.RETRYING, job.id(), job.attempt(), message);
                        }
                        default -> {
                            queue.metrics.failed.increment();
                            queue.events.emit(JobEvent.Type.FAILED, job.id(), job.attempt(), message);
                        }
                    }
                    return null;
                });
    }

    private void lost(LeasedJob<T> job, String doing) {
        queue.metrics.leaseLost.increment();
        log.warn("{}; refused {}", new dev.spindle.state.jobs.LeaseLostException(queue.name(), job.id(),
                job.fencingToken()).getMessage(), doing);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getName() : cause.getClass().getName() + ": " + message;
    }

    private static String stack(Throwable cause) {
        StringWriter out = new StringWriter();
        cause.printStackTrace(new PrintWriter(out));
        String text = out.toString();
        return text.length() > STACK_LIMIT ? text.substring(0, STACK_LIMIT) + "\n\t..." : text;
    }

    /** Cancels job {@code id} if it runs here (a cancellation asked on any instance). */
    void cancel(String id) {
        LeasedJob<T> job = running.get(id);
        if (job != null && job.end(End.CANCELLED, "job " + id + " was cancelled")) {
            log.info("Job {} of queue '{}' cancelled while running", id, queue.name());
        }
    }

    // ---- leases

    private void armRenewal() {
        if (renewTimer.get() != null) {
            return;
        }
        StateClock.Timer timer = clock.schedule(this::renewTick, Duration.ofNanos(Math.max(1, leaseNanos / 6)));
        if (!renewTimer.compareAndSet(null, timer)) {
            timer.cancel();
        }
    }

    private void renewTick() {
        renewTimer.set(null);
        if (running.isEmpty()) {
            return;
        }
        long nowNanos = clock.nanoTime();
        fence(nowNanos);
        if (nowNanos - lastRenewNanos >= leaseNanos / 3 && renewing.compareAndSet(false, true)) {
            renew(nowNanos);
        }
        armRenewal();
    }

    /** Cancels every job whose lease may expire before the store hears from us again (self-fencing). */
    private void fence(long nowNanos) {
        for (LeasedJob<T> job : running.values()) {
            if (job.stillOwned() && nowNanos - job.leaseFromNanos() >= leaseNanos - leaseNanos / 4) {
                if (job.end(End.LOST, "lost contact with the job store for most of the lease; stopped so that "
                        + "another worker can take it")) {
                    queue.metrics.leaseLost.increment();
                    log.warn("Job {} of queue '{}': no lease renewal for {} ms (lease {} ms); cancelled it before "
                                    + "the lease can expire (self-fencing)", job.id(), queue.name(),
                            TimeUnit.NANOSECONDS.toMillis(nowNanos - job.leaseFromNanos()), leaseMs);
                }
            }
        }
    }

    private void renew(long sentNanos) {
        Map<String, Long> leases = new LinkedHashMap<>();
        running.values().forEach(job -> {
            if (job.stillOwned()) {
                leases.put(job.id(), job.fencingToken());
            }
        });
        if (leases.isEmpty()) {
            renewing.set(false);
            return;
        }
        lastRenewNanos = sentNanos;
        CompletionStage<JobStore.Renewal> reply;
        try {
            reply = store.renew(queue.name(), leases, clock.millis(), leaseMs);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((renewal, failure) -> {
            renewing.set(false);
            if (failure != null) {
                log.debug("Renewing leases of queue '{}' failed: {}", queue.name(), failure.toString());
                return;
            }
            for (String id : leases.keySet()) {
                LeasedJob<T> job = running.get(id);
                if (job != null) {
                    job.renewed(sentNanos);
                }
            }
            for (String id : renewal.lost()) {
                LeasedJob<T> job = running.get(id);
                if (job != null && job.end(End.LOST, "the lease of job " + id + " was lost")) {
                    lost(job, "renewing its lease");
                }
            }
            renewal.cancelled().forEach(this::cancel);
        });
    }

    // ---- stopping

    @Override
    public CompletionStage<Void> shutdown(Duration grace) {
        if (phase == Phase.RUNNING) {
            phase = Phase.STOPPING;
            StateClock.Timer poll = pollTimer.getAndSet(null);
            if (poll != null) {
                poll.cancel();
            }
            try {
                wake.close();
            } catch (Exception ignored) {
                // a listener removal cannot fail
            }
            if (running.isEmpty()) {
                finishStopping();
            } else if (grace.isZero() || grace.isNegative()) {
                releaseAll();
            } else {
                clock.schedule(this::releaseAll, grace);
            }
            queue.jobs().forget(this);
        }
        return stopped.minimalCompletionStage();
    }

    private void releaseAll() {
        for (LeasedJob<T> job : running.values()) {
            job.end(End.RELEASED, "the worker is shutting down and its grace period is over");
        }
    }

    private void finishStopping() {
        phase = Phase.STOPPED;
        StateClock.Timer renew = renewTimer.getAndSet(null);
        if (renew != null) {
            renew.cancel();
        }
        stopped.complete(null);
    }

    @Override
    public void close() {
        try {
            shutdown(Duration.ZERO).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Worker of queue '{}' did not stop within 5 s: {} job(s) still running", queue.name(),
                    running.size());
        }
    }

    List<String> runningIds() {
        return List.copyOf(running.keySet());
    }

    @Override
    public String toString() {
        return "Worker of queue " + queue.name() + " (" + running.size() + "/" + options.concurrency() + " running)";
    }
}
