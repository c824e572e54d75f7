package dev.spindle.core;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * A bounded pool that runs work off the event loops and hands the result back to the loop that
 * asked. Two exist per app: {@code offload} for CPU-bound work (threads = cores) and
 * {@code blocking} for blocking I/O (up to 64 threads). Unlike an unbounded executor it says no:
 * a full queue, a passed deadline, or an expected queue wait longer than the time left refuses
 * the task at once with {@link OverloadException}, and a task whose deadline passes while queued
 * is dropped unrun. The submitter's MDC travels with the task.
 *
 * <pre>{@code
 * CompletionStage<String> hash = pool.submit(() -> pbkdf2(password), ctx.executor(), ctx.deadline(), false);
 * }</pre>
 */
public final class WorkerPool implements AutoCloseable {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final String name;
    private final int threads;
    private final int capacity;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final Timer waitTimer;
    private final Timer runTimer;
    private final Counter completed;
    private final Counter completedLate;
    private final Map<OverloadException.Reason, Counter> rejected = new EnumMap<>(OverloadException.Reason.class);
    private volatile double averageRunNanos;

    private WorkerPool(String name, int threads, int queueCapacity, MeterRegistry registry) {
        this.name = name;
        this.threads = threads;
        this.capacity = queueCapacity;
        // A lock-free queue bounded by the 'queued' counter: submitting from an event loop never
        // takes a lock once the workers exist (the executor only locks to start a worker).
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedTransferQueue<>(),
                threadFactory(name), new ThreadPoolExecutor.AbortPolicy());
        String pool = name;
        Gauge.builder("spindle.offload.queue.size", queued, AtomicInteger::get).tag("pool", pool)
                .description("Tasks waiting for a worker").register(registry);
        Gauge.builder("spindle.offload.active", running, AtomicInteger::get).tag("pool", pool)
                .description("Workers running a task").register(registry);
        Gauge.builder("spindle.offload.threads", () -> threads).tag("pool", pool)
                .description("Workers the pool may run").register(registry);
        this.waitTimer = Timer.builder("spindle.offload.wait").tag("pool", pool)
                .description("Time tasks waited in the queue").publishPercentileHistogram().register(registry);
        this.runTimer = Timer.builder("spindle.offload.run").tag("pool", pool)
                .description("Time tasks ran").publishPercentileHistogram().register(registry);
        this.completed = Counter.builder("spindle.offload.completed").tag("pool", pool)
                .description("Tasks that ran to completion or failure").register(registry);
        this.completedLate = Counter.builder("spindle.offload.completed.late").tag("pool", pool)
                .description("Tasks that finished after their request's deadline (wasted work)").register(registry);
        for (OverloadException.Reason reason : OverloadException.Reason.values()) {
            rejected.put(reason, Counter.builder("spindle.offload.rejected").tag("pool", pool)
                    .tag("reason", reason.tag()).description("Tasks refused or dropped unrun").register(registry));
        }
    }

    /** A pool of {@code threads} workers and room for {@code queueCapacity} waiting tasks. */
    public static WorkerPool create(String name, int threads, int queueCapacity, MeterRegistry registry) {
        requireNonNull(name, "name");
        requireNonNull(registry, "registry");
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: >= 1)");
        }
        return new WorkerPool(name, threads, queueCapacity, registry);
    }

    /** The pool's name, also its {@code pool} metric tag. */
    public String name() {
        return name;
    }

    /** Worker threads. */
    public int threads() {
        return threads;
    }

    /** Tasks waiting now. */
    public int queued() {
        return queued.get();
    }

    /** Tasks running now. */
    public int running() {
        return running.get();
    }

    /**
     * Runs {@code work} on a worker. The returned stage completes on {@code resumeOn} (the request's
     * loop); cancelling it drops the task if still queued and, when {@code interruptible}, interrupts
     * it if running. Refusals complete the stage exceptionally with {@link OverloadException}.
     */
    public <T> CompletionStage<T> submit(Callable<T> work, Executor resumeOn, Deadline deadline, boolean interruptible) {
        requireNonNull(work, "work");
        requireNonNull(resumeOn, "resumeOn");
        requireNonNull(deadline, "deadline");
        if (deadline.isExpired()) {
            return refuse(OverloadException.Reason.DEADLINE, "The request's deadline has passed");
        }
        long expectedWait = (long) (averageRunNanos * queued.get() / threads);
        if (expectedWait > deadline.remainingNanos()) {
            return refuse(OverloadException.Reason.DEADLINE, "The " + name + " pool cannot start this task within "
                    + "the request's deadline (expected wait " + TimeUnit.NANOSECONDS.toMillis(expectedWait) + " ms)");
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            return refuse(OverloadException.Reason.QUEUE_FULL, "The " + name + " pool's queue is full ("
                    + capacity + " tasks)");
        }
        Job<T> job = new Job<>(work, resumeOn, deadline, interruptible, MDC.getCopyOfContextMap());
        try {
            executor.execute(job);
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            return refuse(OverloadException.Reason.SHUTDOWN, "The " + name + " pool is shut down");
        }
        return job.result;
    }

    private <T> CompletionStage<T> refuse(OverloadException.Reason reason, String message) {
        rejected.get(reason).increment();
        return CompletableFuture.failedFuture(new OverloadException(reason, message, RETRY_AFTER));
    }

    /** Stops taking work; running tasks finish, queued ones still run, for up to {@code timeout}. */
    public void shutdown(Duration timeout) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    private static ThreadFactory threadFactory(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "spindle-" + name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The stage a submitter holds; cancelling it cancels the job. */
    private static final class Result<T> extends CompletableFuture<T> {

        private Job<T> job;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled && job != null) {
                job.cancel(job.interruptible);
            }
            return cancelled;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }

    /** One task: checks its deadline when a worker picks it up, then hands its outcome to the loop. */
    private final class Job<T> extends FutureTask<T> {

        final Result<T> result = new Result<>();
        final boolean interruptible;
        private final Executor resumeOn;
        private final Deadline deadline;
        private final long enqueuedNanos = System.nanoTime();
        private final AtomicBoolean dequeued = new AtomicBoolean();
        private final Map<String, String> mdc;

        Job(Callable<T> work, Executor resumeOn, Deadline deadline, boolean interruptible, Map<String, String> mdc) {
            super(() -> {
                long start = System.nanoTime();
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                running.incrementAndGet();
                try {
                    return work.call();
                } finally {
                    running.decrementAndGet();
                    MDC.clear();
                    long ran = System.nanoTime() - start;
                    runTimer.record(ran, TimeUnit.NANOSECONDS);
                    averageRunNanos = averageRunNanos == 0 ? ran : averageRunNanos * 0.9 + ran * 0.1;
                    completed.increment();
                    if (deadline.isExpired()) {
                        completedLate.increment();
                    }
                }
            });
            this.resumeOn = resumeOn;
            this.deadline = deadline;
            this.interruptible = interruptible;
            this.mdc = mdc;
            this.result.job = this;
        }

        /** Leaves the queue exactly once, whether by starting or by being cancelled. */
        private void leaveQueue() {
            if (dequeued.compareAndSet(false, true)) {
                queued.decrementAndGet();
            }
        }

        @Override
        public void run() {
            leaveQueue();
            if (isCancelled()) {
                return;
            }
            waitTimer.record(System.nanoTime() - enqueuedNanos, TimeUnit.NANOSECONDS);
            if (deadline.isExpired()) {
                rejected.get(OverloadException.Reason.EXPIRED_IN_QUEUE).increment();
                setException(new OverloadException(OverloadException.Reason.EXPIRED_IN_QUEUE,
                        "The request's deadline passed while the task waited in the " + name + " queue",
                        RETRY_AFTER));
                return;
            }
            super.run();
            // Clear an interrupt aimed at this task so it cannot hit the worker's next one.
            Thread.interrupted();
        }

        @Override
        protected void done() {
            if (isCancelled()) {
                leaveQueue();
                return;
            }
            resumeOn.execute(() -> {
                // Continuations run inside complete(): give them the submitter's MDC, as the task had.
                Map<String, String> previous = MDC.getCopyOfContextMap();
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                try {
                    result.complete(get());
                } catch (ExecutionException e) {
                    result.completeExceptionally(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    result.completeExceptionally(e);
                } finally {
                    if (previous != null) {
                        MDC.setContextMap(previous);
                    } else {
                        MDC.clear();
                    }
                }
            });
        }
    }
}
