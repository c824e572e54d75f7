package dev.spindle.state.jobs;

import dev.spindle.state.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A named queue of jobs carrying {@code T} payloads (stored as JSON). Every stage completes on the
 * calling event loop, or off the loops on the background executor; a store that cannot be reached
 * fails it with {@link dev.spindle.state.StateUnavailableException} (a 503 in apps).
 *
 * <pre>{@code
 * JobQueue<Email> emails = jobs.queue("emails", Email.class);
 * emails.add(new Email(to, body), JobOptions.builder().delay(Duration.ofMinutes(5)).build());
 * }</pre>
 */
public interface JobQueue<T> {

    /** The queue's name. */
    String name();

    /** The payload type. */
    Class<T> type();

    /** Adds a job with the default options; completes with its id. */
    CompletionStage<String> add(T data);

    /**
     * Adds a job; completes with its id. With {@link JobOptions.Builder#id} set, adding a job
     * whose id is taken adds nothing and completes with that id.
     */
    CompletionStage<String> add(T data, JobOptions options);

    /** Adds all {@code jobs} in one round trip, atomically; completes with their ids, in order. */
    CompletionStage<List<String>> addAll(List<NewJob<T>> jobs);

    /** What the store knows about job {@code id}, empty when there is no such job (or retention removed it). */
    CompletionStage<Optional<JobInfo>> info(String id);

    /** The state of job {@code id}, empty when there is no such job. */
    default CompletionStage<Optional<JobState>> state(String id) {
        return info(id).thenApply(info -> info.map(JobInfo::state));
    }

    /** How many jobs are in each state. */
    CompletionStage<JobCounts> counts();

    /** Failed jobs (the dead letter set), newest first: {@code limit} of them from {@code offset}. */
    CompletionStage<List<JobInfo>> failed(int offset, int limit);

    /** Moves failed job {@code id} back to waiting with fresh attempts; completes with false when it is not failed. */
    CompletionStage<Boolean> retry(String id);

    /** Removes job {@code id} unless it is running; completes with false when there was nothing to remove. */
    CompletionStage<Boolean> remove(String id);

    /**
     * Cancels job {@code id}: a waiting or delayed job fails at once; a running one is asked to
     * stop (its handler's {@link Job#cancellation()} completes) and fails without retry, and is
     * never run again, even when its worker dies or shuts down first. A handler that succeeds
     * before it hears of the cancellation completes the job. Completes with false when the job is
     * finished or unknown.
     */
    CompletionStage<Boolean> cancel(String id);

    /** Stops every worker of every instance from starting jobs of this queue; running jobs finish. */
    CompletionStage<Void> pause();

    /** Lets workers start jobs again. */
    CompletionStage<Void> resume();

    /** Listens to this queue's events from every instance, on the broadcaster's executor. */
    Subscription events(Consumer<JobEvent> listener);
}
