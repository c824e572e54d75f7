package dev.spindle.state.jobs.internal;

import dev.spindle.state.StateClock;
import dev.spindle.state.internal.RedisFailures;
import dev.spindle.state.jobs.Backoff;
import dev.spindle.state.jobs.JobEvent;
import dev.spindle.state.jobs.JobHandler;
import dev.spindle.state.jobs.NonRetryableException;
import dev.spindle.state.jobs.Worker;
import dev.spindle.state.jobs.WorkerOptions;
import dev.spindle.state.jobs.internal.JobStore.Completed;
import dev.spindle.state.jobs.internal.JobStore.Done;
import dev.spindle.state.jobs.internal.JobStore.FetchRequest;
import dev.spindle.state.jobs.internal.JobStore.Fetched;
import dev.spindle.state.jobs.internal.JobStore.Leased;
import dev.spindle.state.jobs.internal.JobStore.Outcome;
import dev.spindle.state.jobs.internal.LeasedJob.End;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker of one queue on this instance. Fetching, lease renewal ({@link LeaseKeeper}) and
 * self-fencing run on timers of the jobs' clock and on the store's replies, never on the
 * handler's threads, so a handler that computes for minutes still has its lease renewed.
 * Handlers run on the worker's executor.
 *
 * <p>Slots: every store call that may lease jobs first claims the free slots it asks for, so
 * fetches and completions in flight together never lease more than the concurrency. Fetches
 * leave at most one in flight: a wake-up during a fetch asks for another right after. An idle
 * worker sleeps until the store's next due time (a delayed job, a lease to reap, a rate window),
 * a wake-up, or the poll interval, whichever is first.
 *
 * <p>Completions are batched: one completion call in flight per worker, and jobs finished
 * meanwhile go together in the next, which also leases the jobs that take their slots. Under load
 * that is one round trip, one script and one thread hop per batch rather than per job; an idle
 * worker still completes a lone job at once.
 */
final class QueueWorker<T> implements Worker {

    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
    private static final int MAX_BATCH = 500;
    private static final int COMPLETIONS_IN_FLIGHT = 1;

    private enum Phase { RUNNING, STOPPING, STOPPED }

    /** A job its handler finished, waiting to be recorded with its result (JSON). */
    private record Finished<T>(LeasedJob<T> job, String result) {}

    /** The armed poll timer and when it falls due (on the clock's nano time). */
    private record Poll(StateClock.Timer timer, long dueNanos) {}

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
    private final LeaseKeeper<T> leases;
    private final Slots slots;
    private final AtomicBoolean fetching = new AtomicBoolean();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger completing = new AtomicInteger();
    private final ConcurrentLinkedQueue<Finished<T>> finished = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Poll> poll = new AtomicReference<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AutoCloseable wake;
    private volatile boolean wakeAsked;
    private volatile Phase phase = Phase.RUNNING;
    private volatile StateClock.Timer releaseTimer;

    QueueWorker(DefaultQueue<T> queue, JobHandler<T> handler, WorkerOptions options, Executor executor, String owner) {
        this.queue = queue;
        this.handler = handler;
        this.options = options;
        this.slots = new Slots(options.concurrency());
        this.executor = executor;
        this.clock = queue.jobs().clock();
        this.store = queue.jobs().store();
        this.owner = owner;
        this.leaseMs = options.lease().toMillis();
        this.leaseNanos = options.lease().toNanos();
        this.leases = new LeaseKeeper<>(queue, running, options.lease(), this::lost, this::cancel);
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

    // ---- slots and fetching

    void fetchSoon() {
        wakeAsked = true;
        if (phase == Phase.RUNNING && fetching.compareAndSet(false, true)) {
            fetch();
        }
    }

    /**
     * Leases jobs for the free slots. A lease request whose reply was lost (the connection dropped)
     * goes first, again, with its slots and request token: the store answers with the jobs its
     * first run leased, which would otherwise wait out their lease unstarted.
     */
    private void fetch() {
        Slots.InDoubt again = phase == Phase.RUNNING ? slots.nextInDoubt() : null;
        int asked = again != null ? again.slots() : phase == Phase.RUNNING ? slots.claim(running.size(), 0) : 0;
        if (asked == 0) {
            // No free slot: the wake-up stays asked for, so the next slot that frees looks again. One
            // that freed while this thread held the flag found it taken, so look once more.
            fetching.set(false);
            if (phase == Phase.RUNNING && slots.anyFree(running.size())) {
                fetchSoon();
            }
            return;
        }
        wakeAsked = false;
        long sentNanos = clock.nanoTime();
        FetchRequest request = again != null ? again.request().at(clock.millis()) : request(asked);
        call(() -> store.fetch(queue.name(), request)).whenComplete((fetched, failure) -> {
            try {
                if (failure != null) {
                    log.debug("Fetching jobs of queue '{}' failed: {}", queue.name(), failure.toString());
                    armPoll(options.pollInterval().toMillis());
                } else {
                    accept(fetched, sentNanos, asked);
                }
            } finally {
                settleClaim(request, asked, failure);
                fetching.set(false);
            }
            afterChange();
        });
    }

    /** Frees a lease request's slots, or keeps them for sending it again when its reply is lost. */
    private void settleClaim(FetchRequest request, int claimed, Throwable failure) {
        if (failure == null || claimed == 0) {
            slots.unclaim(claimed);
            if (slots.anyInDoubt()) {
                wakeAsked = true;
            }
            return;
        }
        Slots.InDoubt lost = new Slots.InDoubt(request, claimed);
        slots.inDoubt(lost);
        if (phase != Phase.RUNNING) {
            slots.withdraw(lost); // stopping: its jobs, if any, come back when their lease expires
        }
    }

    private static <V> CompletionStage<V> call(Supplier<CompletionStage<V>> storeCall) {
        try {
            return storeCall.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private FetchRequest request(int max) {
        return new FetchRequest(clock.millis(), leaseMs, max, owner, queue.options().rateMax(),
                queue.options().ratePer().toMillis(), queue.options().globalConcurrency(),
                queue.options().maxStalls(), queue.failedRetention(), owner + "-" + requests.incrementAndGet());
    }

    /** Starts what a fetch leased and sleeps until its next due time (or a wake-up). */
    private void accept(Fetched fetched, long sentNanos, int asked) {
        recovered(fetched);
        for (Leased leased : fetched.jobs()) {
            start(leased, sentNanos);
        }
        long pollMillis = options.pollInterval().toMillis();
        long due = fetched.nextDueMillis();
        armPoll(due > 0 ? Math.max(0, Math.min(pollMillis, due - clock.millis())) : pollMillis);
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
            queue.events.emit(JobEvent.Type.FAILED, id, 0, "stalled: failed for good (too many stalls, or cancelled)");
        }
    }

    /** Looks for work after {@code delayMillis}, unless a look no later than that is armed already. */
    private void armPoll(long delayMillis) {
        if (phase != Phase.RUNNING) {
            return;
        }
        long now = clock.nanoTime();
        long due = now + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        Poll armed = poll.get();
        if (armed != null && armed.dueNanos() - now > 0 && armed.dueNanos() - due <= 0) {
            return;
        }
        Poll next = new Poll(clock.schedule(this::fetchSoon, Duration.ofMillis(delayMillis)), due);
        Poll previous = poll.getAndSet(next);
        if (previous != null) {
            previous.timer().cancel();
        }
    }

    /** After a store call or a job's end: fetch for free slots when asked to, or finish stopping. */
    private void afterChange() {
        if (phase == Phase.RUNNING) {
            if (wakeAsked) {
                fetchSoon();
            }
        } else if (idle()) {
            finishStopping();
        }
    }

    // ---- running a job

    private void start(Leased leased, long sentNanos) {
        T data = null;
        RuntimeException unreadable = null;
        try {
            data = queue.json().read(leased.data(), queue.type());
        } catch (RuntimeException e) {
            unreadable = e;
        }
        LeasedJob<T> job = new LeasedJob<>(queue, leased.id(), data, leased.attempt(), leased.maxAttempts(),
                leased.token(), leased.backoff(), sentNanos);
        running.put(job.id(), job);
        job.outcome().whenComplete((value, failure) -> settle(job, value, failure));
        if (phase != Phase.RUNNING) {
            // Leased by a store call sent before the worker began to stop: back to waiting, untried.
            job.end(End.RELEASED, "the worker is stopping");
            return;
        }
        long answeredAfter = clock.nanoTime() - sentNanos;
        if (answeredAfter >= LeaseKeeper.fenceAfter(leaseNanos)) {
            // The answer came so late (a reply held up by the network or a paused Redis) that the
            // lease, counted from the request, may have expired and the job be running elsewhere.
            log.info("Job {} of queue '{}' was leased by a request answered {} ms after it was sent (lease {} ms); "
                    + "released it untried", job.id(), queue.name(), TimeUnit.NANOSECONDS.toMillis(answeredAfter),
                    leaseMs);
            job.end(End.RELEASED, "leased by a request answered after most of its lease");
            return;
        }
        if (unreadable != null) {
            job.outcome().completeExceptionally(new NonRetryableException(
                    "payload is not a " + queue.type().getName() + ": " + unreadable.getMessage(), unreadable));
            return;
        }
        queue.metrics.waited(clock.millis() - leased.readyAt());
        leases.jobStarted();
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

    /**
     * Records how a job ended, once. A handler's success stands even when the job was told to
     * stop at the same moment (cancelled, or released at the end of the grace): its work is done,
     * and releasing it would run it again. Only a lost lease discards it.
     */
    private void settle(LeasedJob<T> job, Object value, Throwable failure) {
        if (!job.finish()) {
            return;
        }
        queue.metrics.processing.record(clock.nanoTime() - job.startedNanos(), TimeUnit.NANOSECONDS);
        End end = job.ended();
        if (failure == null && end != End.LOST) {
            String result = null;
            try {
                result = value == null ? "null" : queue.json().write(value);
            } catch (RuntimeException e) {
                failure = e;
            }
            if (result != null) {
                finished.add(new Finished<>(job, result));
                flushCompletions();
                return;
            }
        }
        CompletionStage<?> done;
        if (end == End.LOST) {
            done = CompletableFuture.completedFuture(null);
        } else if (end == End.RELEASED) {
            done = release(job);
        } else {
            done = failed(job, failure == null ? new CancellationException("cancelled") : failure);
        }
        done.whenComplete((ignored, storeFailure) -> {
            if (storeFailure != null) {
                log.warn("Could not record the outcome of job {} of queue '{}' ({}); it runs again after its lease "
                        + "expires", job.id(), queue.name(), RedisFailures.unwrap(storeFailure).toString());
            }
            running.remove(job.id(), job);
            wakeAsked = true; // its slot is free and nothing refills it
            afterChange();
        });
    }

    // ---- completing, in batches

    private void flushCompletions() {
        while (!finished.isEmpty()) {
            int inFlight = completing.get();
            if (inFlight >= COMPLETIONS_IN_FLIGHT) {
                return; // the reply to a call in flight sends what gathered meanwhile
            }
            if (!completing.compareAndSet(inFlight, inFlight + 1)) {
                continue;
            }
            List<Finished<T>> batch = new ArrayList<>();
            Finished<T> next;
            while (batch.size() < MAX_BATCH && (next = finished.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                completing.decrementAndGet();
                continue;
            }
            complete(batch);
        }
    }

    private void complete(List<Finished<T>> batch) {
        int asked = phase == Phase.RUNNING ? slots.claim(running.size(), batch.size()) : 0;
        List<Done> done = new ArrayList<>(batch.size());
        for (Finished<T> f : batch) {
            done.add(new Done(f.job().id(), f.job().fencingToken(), f.result()));
        }
        long sentNanos = clock.nanoTime();
        FetchRequest next = asked > 0 ? request(asked) : null;
        call(() -> store.complete(queue.name(), done, clock.millis(), queue.completedRetention(), next))
                .whenComplete((completed, failure) -> {
                    try {
                        if (failure != null || asked < batch.size()) {
                            wakeAsked = true; // slots this call freed and did not refill
                        }
                        if (failure != null) {
                            log.warn("Could not record the completion of {} job(s) of queue '{}' ({}); they run again "
                                    + "after their lease expires", batch.size(), queue.name(),
                                    RedisFailures.unwrap(failure).toString());
                        } else {
                            completed(batch, completed, sentNanos, asked);
                        }
                        for (Finished<T> f : batch) {
                            running.remove(f.job().id(), f.job());
                        }
                    } finally {
                        settleClaim(next, asked, failure);
                        completing.decrementAndGet();
                    }
                    flushCompletions();
                    afterChange();
                });
    }

    private void completed(List<Finished<T>> batch, Completed completed, long sentNanos, int asked) {
        for (int i = 0; i < batch.size(); i++) {
            LeasedJob<T> job = batch.get(i).job();
            if (completed.outcomes().get(i) == Outcome.LOST) {
                lost(job, "completing it");
            } else {
                queue.metrics.completed.increment();
                queue.events.emit(JobEvent.Type.COMPLETED, job.id(), job.attempt(), null);
            }
        }
        if (asked > 0) {
            accept(completed.fetched(), sentNanos, asked);
        }
    }

    // ---- failing and releasing

    private CompletionStage<Void> failed(LeasedJob<T> job, Throwable failure) {
        Throwable cause = Failures.cause(failure);
        boolean cancelled = job.ended() == End.CANCELLED;
        boolean retry = !cancelled && !options.isNonRetryable(cause);
        long delay = retry ? Backoff.decode(job.backoff()).delay(job.attempt(), ThreadLocalRandom.current()).toMillis()
                : -1;
        String message = cancelled ? "cancelled" : Failures.describe(cause);
        return store.fail(queue.name(), job.id(), job.fencingToken(), clock.millis(), message, Failures.stack(cause),
                delay, queue.failedRetention()).thenApply(outcome -> {
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

    private CompletionStage<Void> release(LeasedJob<T> job) {
        return store.release(queue.name(), job.id(), job.fencingToken(), clock.millis(), queue.failedRetention())
                .thenApply(outcome -> {
                    if (outcome == Outcome.FAILED) { // its cancellation was asked: it must not run again
                        queue.metrics.failed.increment();
                        queue.events.emit(JobEvent.Type.FAILED, job.id(), job.attempt(), "cancelled");
                    }
                    return null;
                });
    }

    private void lost(LeasedJob<T> job, String doing) {
        queue.metrics.leaseLost.increment();
        log.warn("{}; refused {}", new dev.spindle.state.jobs.LeaseLostException(queue.name(), job.id(),
                job.fencingToken()).getMessage(), doing);
    }

    /** Cancels job {@code id} if it runs here (a cancellation asked on any instance). */
    void cancel(String id) {
        LeasedJob<T> job = running.get(id);
        if (job != null && job.end(End.CANCELLED, "job " + id + " was cancelled")) {
            log.info("Job {} of queue '{}' cancelled while running", id, queue.name());
        }
    }

    // ---- stopping

    @Override
    public CompletionStage<Void> shutdown(Duration grace) {
        if (phase == Phase.RUNNING) {
            phase = Phase.STOPPING;
            Poll armed = poll.getAndSet(null);
            if (armed != null) {
                armed.timer().cancel();
            }
            try {
                wake.close();
            } catch (Exception ignored) {
                // a listener removal cannot fail
            }
            slots.dropInDoubt();
            if (idle()) {
                finishStopping();
            } else if (grace.isZero() || grace.isNegative()) {
                releaseAll();
            } else {
                releaseTimer = clock.schedule(this::releaseAll, grace);
            }
        }
        return stopped.minimalCompletionStage();
    }

    /** Nothing runs, and no store call that may lease or record jobs is on its way. */
    private boolean idle() {
        return running.isEmpty() && slots.noneClaimed() && !fetching.get() && completing.get() == 0
                && finished.isEmpty();
    }

    private void releaseAll() {
        for (LeasedJob<T> job : running.values()) {
            job.end(End.RELEASED, "the worker is shutting down and its grace period is over");
        }
    }

    private void finishStopping() {
        phase = Phase.STOPPED;
        queue.jobs().forget(this); // only now: a job running out its grace can still be cancelled
        leases.stop();
        StateClock.Timer release = releaseTimer;
        if (release != null) {
            release.cancel();
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
