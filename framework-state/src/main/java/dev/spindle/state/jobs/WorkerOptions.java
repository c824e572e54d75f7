package dev.spindle.state.jobs;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * How a worker runs: how many jobs at once on this instance, the lease each job holds (renewed
 * every third of it while the handler runs), where handlers run, and which exceptions are not
 * worth a retry.
 *
 * <pre>{@code
 * WorkerOptions.concurrency(8).lease(Duration.ofSeconds(30)).nonRetryable(IllegalArgumentException.class)
 * }</pre>
 */
public final class WorkerOptions {

    private final int concurrency;
    private final Duration lease;
    private final Duration pollInterval;
    private final Optional<Executor> executor;
    private final List<Class<? extends Throwable>> nonRetryable;

    private WorkerOptions(int concurrency, Duration lease, Duration pollInterval, Optional<Executor> executor,
                          List<Class<? extends Throwable>> nonRetryable) {
        this.concurrency = concurrency;
        this.lease = lease;
        this.pollInterval = pollInterval;
        this.executor = executor;
        this.nonRetryable = nonRetryable;
    }

    /** One job at a time, 30 s leases. */
    public static WorkerOptions defaults() {
        return concurrency(1);
    }

    /** Up to {@code jobs} jobs at once on this instance (1..10000), 30 s leases. */
    public static WorkerOptions concurrency(int jobs) {
        if (jobs < 1 || jobs > 10_000) {
            throw new IllegalArgumentException("concurrency: " + jobs + " (expected: 1..10000)");
        }
        return new WorkerOptions(jobs, Duration.ofSeconds(30), Duration.ofSeconds(5), Optional.empty(), List.of());
    }

    /** How long a lease lasts without renewal (at least 100 ms); a dead worker's jobs come back after it. */
    public WorkerOptions lease(Duration lease) {
        requireNonNull(lease, "lease");
        if (lease.toMillis() < 100) {
            throw new IllegalArgumentException("lease: " + lease + " (expected: >= 100 ms)");
        }
        return new WorkerOptions(concurrency, lease, pollInterval, executor, nonRetryable);
    }

    /**
     * How often an idle worker looks for work when no wake-up reached it (they come from Redis
     * when a job is added anywhere; this is the backstop), also how often stalled jobs are reaped.
     */
    public WorkerOptions pollInterval(Duration interval) {
        requireNonNull(interval, "interval");
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("pollInterval: " + interval + " (expected: >= 1 ms)");
        }
        return new WorkerOptions(concurrency, lease, interval, executor, nonRetryable);
    }

    /** Where handlers are called (default: the app's offload pool, or the jobs' background executor). */
    public WorkerOptions executor(Executor executor) {
        return new WorkerOptions(concurrency, lease, pollInterval, Optional.of(requireNonNull(executor, "executor")),
                nonRetryable);
    }

    /** Failures of these types (or subtypes) go to the failed set without retry, like {@link NonRetryableException}. */
    public WorkerOptions nonRetryable(Class<?>... types) {
        List<Class<? extends Throwable>> checked = new java.util.ArrayList<>();
        for (Class<?> type : types) {
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("nonRetryable: " + type.getName() + " (expected: a Throwable type)");
            }
            checked.add(type.asSubclass(Throwable.class));
        }
        return new WorkerOptions(concurrency, lease, pollInterval, executor, List.copyOf(checked));
    }

    public int concurrency() {
        return concurrency;
    }

    public Duration lease() {
        return lease;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public Optional<Executor> executor() {
        return executor;
    }

    public List<Class<? extends Throwable>> nonRetryable() {
        return nonRetryable;
    }

    /** Whether {@code failure} must not be retried. */
    public boolean isNonRetryable(Throwable failure) {
        if (failure instanceof NonRetryableException) {
            return true;
        }
        for (Class<? extends Throwable> type : nonRetryable) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }
}
