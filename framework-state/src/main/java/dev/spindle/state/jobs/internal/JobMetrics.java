package dev.spindle.state.jobs.internal;

import dev.spindle.state.StateClock;
import dev.spindle.state.jobs.JobCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one queue, tagged {@code queue}: counts per state (gauges read from the store at
 * most every five seconds, in the background, never blocking a scrape), wait from ready to start,
 * processing time, outcomes, stalls and lost leases.
 */
final class JobMetrics {

    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final JobStore store;
    private final String queue;
    private final StateClock clock;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile JobCounts counts = new JobCounts(0, 0, 0, 0, 0, false);
    private volatile long refreshedNanos = Long.MIN_VALUE;

    final Timer wait;
    final Timer processing;
    final Counter completed;
    final Counter failed;
    final Counter retried;
    final Counter stalled;
    final Counter leaseLost;

    JobMetrics(MeterRegistry registry, JobStore store, String queue, StateClock clock) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        gauge(registry, "spindle.jobs.waiting", "Jobs ready and waiting for a worker", JobCounts::waiting);
        gauge(registry, "spindle.jobs.delayed", "Jobs waiting for their run time", JobCounts::delayed);
        gauge(registry, "spindle.jobs.active", "Jobs running (leased)", JobCounts::active);
        gauge(registry, "spindle.jobs.completed.kept", "Completed jobs kept by retention", JobCounts::completed);
        gauge(registry, "spindle.jobs.failed.kept", "Failed jobs in the dead letter set", JobCounts::failed);
        wait = Timer.builder("spindle.jobs.wait").tag("queue", queue)
                .description("From when a job was ready (added, or its delay ended) to when a worker started it: "
                        + "queueing plus lateness of delayed jobs")
                .publishPercentiles(0.5, 0.99).register(registry);
        processing = Timer.builder("spindle.jobs.processing").tag("queue", queue)
                .description("Time handlers took, per attempt").register(registry);
        completed = counter(registry, "spindle.jobs.completed", "Jobs completed by this instance");
        failed = counter(registry, "spindle.jobs.failed", "Jobs that failed for good on this instance");
        retried = counter(registry, "spindle.jobs.retried", "Failed attempts that will be retried");
        stalled = counter(registry, "spindle.jobs.stalled", "Jobs found with an expired lease and recovered");
        leaseLost = counter(registry, "spindle.jobs.lease.lost",
                "Jobs this instance stopped because their lease was lost (taken over, or Redis out of reach)");
    }

    private Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).tag("queue", queue).description(description).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<JobCounts> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.current())).tag("queue", queue)
                .description(description).register(registry);
    }

    private JobCounts current() {
        long now = clock.nanoTime();
        if (now - refreshedNanos > REFRESH_NANOS && refreshing.compareAndSet(false, true)) {
            store.counts(queue).whenComplete((fresh, failure) -> {
                if (fresh != null) {
                    counts = fresh;
                    refreshedNanos = clock.nanoTime();
                }
                refreshing.set(false);
            });
        }
        return counts;
    }

    void waited(long millis) {
        wait.record(Duration.ofMillis(Math.max(0, millis)));
    }
}
