package dev.spindle.state.jobs.internal;

import dev.spindle.state.StateClock;
import dev.spindle.state.jobs.Backoff;
import dev.spindle.state.jobs.JobOptions;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.QueueOptions;
import dev.spindle.state.jobs.Schedule;
import dev.spindle.state.jobs.ScheduledTask;
import dev.spindle.state.jobs.Worker;
import dev.spindle.state.jobs.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedulers of one {@link DefaultJobs}. Each fire time becomes a job of the internal
 * {@value #QUEUE} queue with the id {@code <name>@<epoch millis>}; the store records the last fire
 * time per name and refuses older or equal ones in the same atomic step, so however many instances
 * fire, each time is enqueued once. The task runs wherever a worker takes the job.
 */
final class Schedulers {

    static final String QUEUE = "spindle.schedules";

    private static final Logger log = LoggerFactory.getLogger(Schedulers.class);

    private final DefaultJobs jobs;
    private final Map<String, Runner> runners = new ConcurrentHashMap<>();
    private final Map<String, ScheduledTask> tasks = new ConcurrentHashMap<>();
    private DefaultQueue<String> queue;
    private Worker worker;

    Schedulers(DefaultJobs jobs) {
        this.jobs = jobs;
    }

    synchronized Jobs.Scheduler register(String name, Schedule schedule, ScheduledTask task) {
        if (name.isEmpty() || name.length() > 150) {
            throw new IllegalArgumentException("scheduler name: '" + name + "' (expected: 1..150 characters)");
        }
        if (queue == null) {
            queue = (DefaultQueue<String>) jobs.queue(QUEUE, String.class,
                    QueueOptions.defaults().keepCompleted(100, Duration.ofDays(1)));
            worker = jobs.worker(queue, job -> {
                ScheduledTask registered = tasks.get(job.data());
                if (registered == null) {
                    throw new IllegalStateException("scheduler '" + job.data() + "' has no task on this instance");
                }
                return registered.run();
            }, WorkerOptions.concurrency(4));
        }
        tasks.put(name, task);
        Runner runner = new Runner(name, schedule);
        Runner previous = runners.put(name, runner);
        if (previous != null) {
            previous.close();
        }
        runner.tick(Optional.empty());
        return runner;
    }

    synchronized void close() {
        runners.values().forEach(Runner::close);
        runners.clear();
    }

    /** One scheduler on this instance: a timer for its next fire time. */
    private final class Runner implements Jobs.Scheduler {

        private final String name;
        private final Schedule schedule;
        private volatile StateClock.Timer timer;
        private volatile boolean closed;
        private final CompletableFuture<Void> ready = new CompletableFuture<>();

        Runner(String name, Schedule schedule) {
            this.name = name;
            this.schedule = schedule;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Schedule schedule() {
            return schedule;
        }

        void tick(Optional<Instant> due) {
            if (closed) {
                return;
            }
            Instant now = jobs.clock().now();
            jobs.store().lastFire(QUEUE, name)
                    .thenCompose(last -> decide(last, due, now))
                    .whenComplete((fired, failure) -> {
                        if (failure != null) {
                            log.warn("Scheduler '{}' could not reach the job store ({}); trying again at its next "
                                    + "fire time", name, failure.toString());
                        }
                        arm();
                    });
        }

        private CompletionStage<Boolean> decide(long last, Optional<Instant> due, Instant now) {
            Optional<Instant> latest = schedule.latestAtOrBefore(now);
            if (latest.isEmpty() || latest.get().toEpochMilli() <= last) {
                return CompletableFuture.completedFuture(false);
            }
            Instant time = latest.get();
            boolean onTime = Duration.between(time, now).compareTo(schedule.misfireThreshold()) <= 0;
            boolean enqueue = onTime && (due.isPresent() && due.get().equals(time) || last >= 0)
                    || last >= 0 && schedule.misfire() == Schedule.Misfire.RUN_ONCE;
            if (!enqueue && last >= 0) {
                log.info("Scheduler '{}' missed its fire time {} (and any before it since {}); skipped as its "
                        + "misfire policy says", name, time, Instant.ofEpochMilli(last));
            }
            JobOptions options = JobOptions.builder().id(name + "@" + time.toEpochMilli()).attempts(3)
                    .backoff(Backoff.exponential(Duration.ofSeconds(1))).build();
            long nowMillis = now.toEpochMilli();
            return jobs.store().fire(QUEUE, name, time.toEpochMilli(), enqueue, queue.record(name, options, nowMillis),
                    nowMillis);
        }

        @Override
        public CompletionStage<Void> ready() {
            return ready.minimalCompletionStage();
        }

        private void arm() {
            if (closed) {
                ready.complete(null);
                return;
            }
            Instant now = jobs.clock().now();
            Instant next = schedule.next(now);
            if (next.equals(Instant.MAX)) {
                ready.complete(null);
                return;
            }
            timer = jobs.clock().schedule(() -> tick(Optional.of(next)), Duration.between(now, next));
            ready.complete(null);
        }

        @Override
        public void close() {
            closed = true;
            StateClock.Timer pending = timer;
            if (pending != null) {
                pending.cancel();
            }
        }
    }
}
