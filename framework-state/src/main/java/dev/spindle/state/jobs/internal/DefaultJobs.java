package dev.spindle.state.jobs.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.state.Broadcaster;
import dev.spindle.state.StateClock;
import dev.spindle.state.Subscription;
import dev.spindle.state.internal.Json;
import dev.spindle.state.internal.Loops;
import dev.spindle.state.jobs.JobHandler;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.QueueOptions;
import dev.spindle.state.jobs.Schedule;
import dev.spindle.state.jobs.ScheduledTask;
import dev.spindle.state.jobs.Worker;
import dev.spindle.state.jobs.WorkerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Jobs} over a {@link JobStore}: Redis or memory, the same code above it. */
public final class DefaultJobs implements Jobs {

    private static final Logger log = LoggerFactory.getLogger(DefaultJobs.class);

    private final JobStore store;
    private final Broadcaster broadcaster;
    private final MeterRegistry registry;
    private final Executor executor;
    private final StateClock clock;
    private final Duration grace;
    private final Json json;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, DefaultQueue<?>> queues = new ConcurrentHashMap<>();
    private final Map<String, Subscription> cancellations = new ConcurrentHashMap<>();
    private final List<QueueWorker<?>> workers = new CopyOnWriteArrayList<>();
    private final Schedulers schedulers;
    private volatile boolean closed;

    public DefaultJobs(JobStore store, Broadcaster broadcaster, MeterRegistry registry, Executor executor,
                       StateClock clock, Duration grace) {
        this(store, broadcaster, registry, executor, clock, grace, Json.defaults());
    }

    public DefaultJobs(JobStore store, Broadcaster broadcaster, MeterRegistry registry, Executor executor,
                       StateClock clock, Duration grace, Json json) {
        this.store = store;
        this.broadcaster = broadcaster;
        this.registry = registry;
        this.executor = executor;
        this.clock = clock;
        this.grace = grace;
        this.json = json;
        this.schedulers = new Schedulers(this);
    }

    public JobStore store() {
        return store;
    }

    Json json() {
        return json;
    }

    StateClock clock() {
        return clock;
    }

    Executor executor() {
        return executor;
    }

    /** {@code stage}, completing on the calling event loop, or on the background executor off the loops. */
    <V> CompletionStage<V> resume(CompletionStage<V> stage) {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        return Loops.resume(stage, loop != null ? loop : executor);
    }

    @Override
    public <T> JobQueue<T> queue(String name, Class<T> type) {
        return queue(name, type, QueueOptions.defaults());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> JobQueue<T> queue(String name, Class<T> type, QueueOptions options) {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
        requireNonNull(options, "options");
        if (name.isEmpty() || name.length() > 100 || name.contains("{") || name.contains("}")) {
            throw new IllegalArgumentException("queue name: '" + name + "' (expected: 1..100 characters, no braces)");
        }
        DefaultQueue<?> queue = queues.computeIfAbsent(name, n -> new DefaultQueue<>(this, n, type, options,
                new JobEvents(broadcaster, n, json), new JobMetrics(registry, store, n, clock)));
        if (queue.type() != type) {
            throw new IllegalArgumentException("queue '" + name + "' carries " + queue.type().getName()
                    + " (expected: " + type.getName() + ")");
        }
        return (JobQueue<T>) queue;
    }

    @Override
    public java.util.Collection<JobQueue<?>> queues() {
        return List.copyOf(queues.values());
    }

    @Override
    public <T> Worker worker(JobQueue<T> queue, JobHandler<T> handler, WorkerOptions options) {
        requireNonNull(queue, "queue");
        requireNonNull(handler, "handler");
        requireNonNull(options, "options");
        if (closed) {
            throw new IllegalStateException("Jobs are shut down");
        }
        if (!(queue instanceof DefaultQueue<T> own) || own.jobs() != this) {
            throw new IllegalArgumentException("queue " + queue.name() + " belongs to other Jobs");
        }
        cancellations.computeIfAbsent(queue.name(), name -> own.events.onCancel(id -> cancelLocally(name, id)));
        QueueWorker<T> worker = new QueueWorker<>(own, handler, options, options.executor().orElse(executor),
                instance + "-" + workers.size());
        workers.add(worker);
        worker.start();
        return worker;
    }

    void cancelLocally(String queue, String id) {
        for (QueueWorker<?> worker : workers) {
            if (worker.queue().equals(queue)) {
                worker.cancel(id);
            }
        }
    }

    void forget(QueueWorker<?> worker) {
        workers.remove(worker);
    }

    @Override
    public Scheduler schedule(String name, Schedule schedule, ScheduledTask task) {
        requireNonNull(name, "name");
        requireNonNull(schedule, "schedule");
        requireNonNull(task, "task");
        if (closed) {
            throw new IllegalStateException("Jobs are shut down");
        }
        return schedulers.register(name, schedule, task);
    }

    @Override
    public CompletionStage<Void> shutdown(Duration grace) {
        requireNonNull(grace, "grace");
        closed = true;
        schedulers.close();
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (QueueWorker<?> worker : List.copyOf(workers)) {
            stops.add(worker.shutdown(grace).toCompletableFuture());
        }
        // Jobs running out their grace can still be cancelled: stop listening once they are done.
        return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> {
            cancellations.values().forEach(Subscription::close);
            cancellations.clear();
        });
    }

    @Override
    public void close() {
        try {
            shutdown(grace).toCompletableFuture().get(grace.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Jobs did not stop within their grace of {} ms plus 10 s", grace.toMillis());
        } finally {
            store.close();
        }
    }

    @Override
    public String toString() {
        return "Jobs " + instance + " on " + store.getClass().getSimpleName();
    }
}
