package dev.spindle.state.jobs.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.state.Subscription;
import dev.spindle.state.internal.Json;
import dev.spindle.state.jobs.JobCounts;
import dev.spindle.state.jobs.JobEvent;
import dev.spindle.state.jobs.JobInfo;
import dev.spindle.state.jobs.JobOptions;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.LeaseLostException;
import dev.spindle.state.jobs.NewJob;
import dev.spindle.state.jobs.QueueOptions;
import dev.spindle.state.jobs.internal.JobStore.NewRecord;
import dev.spindle.state.jobs.internal.JobStore.Outcome;
import dev.spindle.state.jobs.internal.JobStore.Retention;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A queue of one {@link DefaultJobs}: turns API calls into store calls and hands results back to the caller. */
final class DefaultQueue<T> implements JobQueue<T> {

    private final DefaultJobs jobs;
    private final String name;
    private final Class<T> type;
    private final QueueOptions options;
    private final JobStore store;
    private final Json json;
    private final Retention completedRetention;
    private final Retention failedRetention;
    final JobEvents events;
    final JobMetrics metrics;

    DefaultQueue(DefaultJobs jobs, String name, Class<T> type, QueueOptions options, JobEvents events,
                 JobMetrics metrics) {
        this.jobs = jobs;
        this.name = name;
        this.type = type;
        this.options = options;
        this.store = jobs.store();
        this.json = jobs.json();
        this.events = events;
        this.metrics = metrics;
        this.completedRetention = new Retention(options.keepCompleted(), options.keepCompletedFor().toMillis());
        this.failedRetention = new Retention(options.keepFailed(), options.keepFailedFor().toMillis());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<T> type() {
        return type;
    }

    QueueOptions options() {
        return options;
    }

    DefaultJobs jobs() {
        return jobs;
    }

    Json json() {
        return json;
    }

    Retention completedRetention() {
        return completedRetention;
    }

    Retention failedRetention() {
        return failedRetention;
    }

    @Override
    public CompletionStage<String> add(T data) {
        return add(data, JobOptions.defaults());
    }

    @Override
    public CompletionStage<String> add(T data, JobOptions options) {
        return addAll(List.of(NewJob.of(requireNonNull(data, "data"), requireNonNull(options, "options"))))
                .thenApply(ids -> ids.get(0));
    }

    @Override
    public CompletionStage<List<String>> addAll(List<NewJob<T>> newJobs) {
        requireNonNull(newJobs, "jobs");
        if (newJobs.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        long now = jobs.clock().millis();
        List<NewRecord> records = new ArrayList<>(newJobs.size());
        try {
            for (NewJob<T> job : newJobs) {
                records.add(record(job.data(), job.options(), now));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return jobs.resume(store.add(name, records, now));
    }

    NewRecord record(Object data, JobOptions o, long now) {
        long runAt = o.at().map(java.time.Instant::toEpochMilli).orElse(now + o.delay().toMillis());
        return new NewRecord(o.id().orElse(null), json.write(data), o.priority(), o.lifo(), o.attempts(),
                o.backoff().encode(), runAt > now ? runAt : 0, o.dedupeWindow().toMillis());
    }

    @Override
    public CompletionStage<Optional<JobInfo>> info(String id) {
        return jobs.resume(store.info(name, requireNonNull(id, "id")));
    }

    @Override
    public CompletionStage<JobCounts> counts() {
        return jobs.resume(store.counts(name));
    }

    @Override
    public CompletionStage<List<JobInfo>> failed(int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > 1000) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "offset: " + offset + ", limit: " + limit + " (expected: offset >= 0, limit 1..1000)"));
        }
        return jobs.resume(store.failed(name, offset, limit));
    }

    @Override
    public CompletionStage<Boolean> retry(String id) {
        return jobs.resume(store.retry(name, requireNonNull(id, "id"), jobs.clock().millis()));
    }

    @Override
    public CompletionStage<Boolean> remove(String id) {
        return jobs.resume(store.remove(name, requireNonNull(id, "id")));
    }

    @Override
    public CompletionStage<Boolean> cancel(String id) {
        requireNonNull(id, "id");
        return jobs.resume(store.cancel(name, id, jobs.clock().millis(), failedRetention()).thenApply(outcome -> {
            switch (outcome) {
                case ACTIVE -> {
                    jobs.cancelLocally(name, id);
                    events.requestCancel(id);
                    return true;
                }
                case DONE -> {
                    events.emit(JobEvent.Type.FAILED, id, 0, "cancelled");
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }));
    }

    @Override
    public CompletionStage<Void> pause() {
        return jobs.resume(store.pause(name, true));
    }

    @Override
    public CompletionStage<Void> resume() {
        return jobs.resume(store.pause(name, false));
    }

    @Override
    public Subscription events(Consumer<JobEvent> listener) {
        return events.subscribe(requireNonNull(listener, "listener"));
    }

    CompletionStage<Void> progress(LeasedJob<T> job, Object progress) {
        String value;
        try {
            value = progress == null ? "null" : json.write(progress);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return jobs.resume(store.progress(name, job.id(), job.fencingToken(), value).thenApply(outcome -> {
            if (outcome == Outcome.LOST) {
                throw new LeaseLostException(name, job.id(), job.fencingToken());
            }
            return null;
        }));
    }

    @Override
    public String toString() {
        return "JobQueue " + name + " of " + type.getSimpleName();
    }
}
