package dev.spindle.state.jobs;

import dev.spindle.state.Broadcaster;
import dev.spindle.state.RedisConnection;
import dev.spindle.state.StateClock;
import dev.spindle.state.jobs.internal.DefaultJobs;
import dev.spindle.state.jobs.internal.JobStore;
import dev.spindle.state.jobs.internal.MemoryJobStore;
import dev.spindle.state.jobs.internal.RedisJobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import static java.util.Objects.requireNonNull;

/**
 * Background jobs that survive the process that added them: queues, workers and schedulers on
 * Redis (or, for one instance, an in-memory twin with the same semantics). In an app, get it from
 * {@code state.jobs()}.
 *
 * <p><b>At least once, with leases and fencing.</b> A running job holds a lease renewed on a
 * timer while its handler runs on the worker's executor, so CPU-heavy handlers never lose it. A
 * worker that loses a lease (or cannot reach Redis for longer than the lease) cancels the job
 * before another instance may take it, and everything it then tries on the job fails with
 * {@link LeaseLostException}. Jobs of a dead worker return to waiting when their lease expires.
 * Every change of a job's state is one Lua script on Redis; all keys of a queue share one hash
 * slot, so queues work on Redis Cluster.
 *
 * <pre>{@code
 * Jobs jobs = state.jobs();
 * JobQueue<Email> emails = jobs.queue("emails", Email.class);
 * jobs.worker(emails, job -> mailer.send(job.data()), WorkerOptions.concurrency(8));
 * jobs.schedule("cleanup", Schedule.cron("0 * * * *"), () -> sessions.purgeExpired());
 * }</pre>
 */
public interface Jobs extends AutoCloseable {

    /** Starts building jobs on {@code redis}, or in memory when no connection is given. */
    static Builder builder() {
        return new Builder();
    }

    /** The queue {@code name} with the default {@link QueueOptions}. */
    <T> JobQueue<T> queue(String name, Class<T> type);

    /** The queue {@code name}; a name is bound to one payload type per instance. */
    <T> JobQueue<T> queue(String name, Class<T> type, QueueOptions options);

    /** The queues declared on this instance, in no particular order. */
    java.util.Collection<JobQueue<?>> queues();

    /** Starts a worker running {@code handler} for jobs of {@code queue}. */
    <T> Worker worker(JobQueue<T> queue, JobHandler<T> handler, WorkerOptions options);

    /**
     * Registers {@code task} to run on {@code schedule}, under {@code name}: every instance that
     * calls this with the same name shares one scheduler (registering again replaces it, so
     * redeploys never duplicate it), and each fire time runs once, on one instance, as a job.
     */
    Scheduler schedule(String name, Schedule schedule, ScheduledTask task);

    /**
     * Stops every worker and scheduler gracefully: no new job, running ones get {@code grace}
     * to finish, then their leases are released. Completes when done.
     */
    CompletionStage<Void> shutdown(Duration grace);

    /** {@link #shutdown} with the grace given to the builder (30 s by default), waiting for it. */
    @Override
    void close();

    /** A registered scheduler. */
    interface Scheduler extends AutoCloseable {

        String name();

        Schedule schedule();

        /** Completes once the scheduler has handled missed fire times and waits for its next one. */
        CompletionStage<Void> ready();

        /** Stops firing on this instance (other instances that registered it go on). */
        @Override
        void close();
    }

    /** Builds {@link Jobs}. */
    final class Builder {
        private RedisConnection redis;
        private Broadcaster broadcaster;
        private MeterRegistry registry = new SimpleMeterRegistry();
        private Executor executor = ForkJoinPool.commonPool();
        private StateClock clock = StateClock.system();
        private Duration grace = Duration.ofSeconds(30);
        private JobStore store;

        private Builder() {}

        /** Keeps the jobs in Redis (shared by every instance). */
        public Builder redis(RedisConnection redis) {
            this.redis = requireNonNull(redis, "redis");
            return this;
        }

        /** Carries job events and cancellations to other instances (required). */
        public Builder broadcaster(Broadcaster broadcaster) {
            this.broadcaster = requireNonNull(broadcaster, "broadcaster");
            return this;
        }

        /** Where the {@code spindle.jobs.*} meters go. */
        public Builder registry(MeterRegistry registry) {
            this.registry = requireNonNull(registry, "registry");
            return this;
        }

        /** Where handlers run by default and stages complete off the loops (an app's offload pool). */
        public Builder executor(Executor executor) {
            this.executor = requireNonNull(executor, "executor");
            return this;
        }

        /** The clock for delays, leases, backoff and schedules; tests pass one they move by hand. */
        public Builder clock(StateClock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** The grace {@link #close()} gives running jobs. */
        public Builder grace(Duration grace) {
            this.grace = requireNonNull(grace, "grace");
            return this;
        }

        /** Shares the in-memory store of {@code other} (in-memory jobs only): several "instances" in one process, for tests. */
        public Builder sharingMemoryWith(Jobs other) {
            this.store = ((DefaultJobs) requireNonNull(other, "other")).store();
            return this;
        }

        public Jobs build() {
            requireNonNull(broadcaster, "broadcaster (events and cancellations travel through it)");
            JobStore chosen = store != null ? store
                    : redis != null ? RedisJobStore.of(redis) : new MemoryJobStore();
            return new DefaultJobs(chosen, broadcaster, registry, executor, clock, grace);
        }
    }
}
