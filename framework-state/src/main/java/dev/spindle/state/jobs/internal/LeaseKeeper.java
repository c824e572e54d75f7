package dev.spindle.state.jobs.internal;

import dev.spindle.state.StateClock;
import dev.spindle.state.jobs.internal.LeasedJob.End;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of one worker's running jobs, on a timer of the jobs' clock (every sixth of the
 * lease) and the store's replies, never on the handlers' threads. A job is renewed once a third of
 * its lease has passed since the store last confirmed it; only a renewal confirms a lease (a fetch
 * leases new jobs, it extends none). A job whose lease may expire before the store hears from
 * this worker again is cancelled first (self-fencing), so no other worker takes it while it runs.
 */
final class LeaseKeeper<T> {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final DefaultQueue<T> queue;
    private final JobStore store;
    private final StateClock clock;
    private final Map<String, LeasedJob<T>> running;
    private final long leaseMs;
    private final long leaseNanos;
    private final BiConsumer<LeasedJob<T>, String> lost;
    private final Consumer<String> cancel;
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final AtomicReference<StateClock.Timer> timer = new AtomicReference<>();
    private volatile boolean stopped;

    LeaseKeeper(DefaultQueue<T> queue, Map<String, LeasedJob<T>> running, Duration lease,
                BiConsumer<LeasedJob<T>, String> lost, Consumer<String> cancel) {
        this.queue = queue;
        this.store = queue.jobs().store();
        this.clock = queue.jobs().clock();
        this.running = running;
        this.leaseMs = lease.toMillis();
        this.leaseNanos = lease.toNanos();
        this.lost = lost;
        this.cancel = cancel;
    }

    /** How long after its last confirmation a lease is given up by its worker: a quarter before it ends. */
    static long fenceAfter(long leaseNanos) {
        return leaseNanos - leaseNanos / 4;
    }

    /** A job started: make sure the timer runs. */
    void jobStarted() {
        if (stopped || timer.get() != null) {
            return;
        }
        StateClock.Timer next = clock.schedule(this::tick, Duration.ofNanos(Math.max(1, leaseNanos / 6)));
        if (!timer.compareAndSet(null, next)) {
            next.cancel();
        }
    }

    void stop() {
        stopped = true;
        StateClock.Timer armed = timer.getAndSet(null);
        if (armed != null) {
            armed.cancel();
        }
    }

    private void tick() {
        timer.set(null);
        if (running.isEmpty() || stopped) {
            return;
        }
        long nowNanos = clock.nanoTime();
        fence(nowNanos);
        if (due(nowNanos) && renewing.compareAndSet(false, true)) {
            renew(nowNanos);
        }
        jobStarted();
    }

    private boolean due(long nowNanos) {
        for (LeasedJob<T> job : running.values()) {
            if (job.stillOwned() && nowNanos - job.leaseFromNanos() >= leaseNanos / 3) {
                return true;
            }
        }
        return false;
    }

    /** Cancels every job whose lease may expire before the store hears from us again (self-fencing). */
    private void fence(long nowNanos) {
        for (LeasedJob<T> job : running.values()) {
            if (job.stillOwned() && nowNanos - job.leaseFromNanos() >= fenceAfter(leaseNanos)) {
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
            for (String id : renewal.lost()) {
                LeasedJob<T> job = sameLease(id, leases);
                if (job != null && job.end(End.LOST, "the lease of job " + id + " was lost")) {
                    lost.accept(job, "renewing its lease");
                }
            }
            leases.forEach((id, token) -> {
                LeasedJob<T> job = sameLease(id, leases);
                if (job != null) {
                    job.renewed(sentNanos);
                }
            });
            renewal.cancelled().forEach(cancel);
        });
    }

    /** The running job {@code id} if it still holds the lease that was sent for renewal (not a later attempt). */
    private LeasedJob<T> sameLease(String id, Map<String, Long> leases) {
        LeasedJob<T> job = running.get(id);
        Long token = leases.get(id);
        return job != null && token != null && job.fencingToken() == token ? job : null;
    }
}
