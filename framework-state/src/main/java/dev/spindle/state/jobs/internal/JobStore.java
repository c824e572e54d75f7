package dev.spindle.state.jobs.internal;

import dev.spindle.state.jobs.JobCounts;
import dev.spindle.state.jobs.JobInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where jobs live: Redis (each operation one Lua script) or memory (each one synchronized step).
 * Both take the caller's clock readings as arguments, so time is the caller's to inject. Stages
 * complete on any thread; callers hop before running user code.
 */
public interface JobStore {

    /** Adds jobs atomically; answers their ids (the existing id for a duplicate). */
    CompletionStage<List<String>> add(String queue, List<NewRecord> jobs, long now);

    /** Promotes due delayed jobs, recovers stalled ones, then leases up to {@code max} jobs. */
    CompletionStage<Fetched> fetch(String queue, FetchRequest request);

    /**
     * Completes leased jobs in one step (per job {@link Outcome#OK}, or {@link Outcome#LOST} when the
     * token is no longer the job's) and, with {@code next} given, leases more jobs in the same step:
     * under load a worker's completions and its next jobs share one round trip.
     */
    CompletionStage<Completed> complete(String queue, List<Done> done, long now, Retention completed,
                                        FetchRequest next);

    /**
     * Fails an attempt: retried after {@code retryDelayMs} when attempts are left, it is not
     * negative and no one asked to cancel the job, otherwise failed for good.
     */
    CompletionStage<Outcome> fail(String queue, String id, long token, long now, String message, String stack,
                                  long retryDelayMs, Retention failed);

    /** Extends the leases of jobs (id to token) held by one worker. */
    CompletionStage<Renewal> renew(String queue, Map<String, Long> leases, long now, long leaseMs);

    /** Records progress of a leased job. */
    CompletionStage<Outcome> progress(String queue, String id, long token, String progress);

    /**
     * Gives a leased job back, untried, to the front of its priority (graceful shutdown); a job
     * whose cancellation was asked fails instead ({@link Outcome#FAILED}).
     */
    CompletionStage<Outcome> release(String queue, String id, long token, long now, Retention failed);

    /** Recovers jobs whose lease expired (failing those whose cancellation was asked); answers what it recovered. */
    CompletionStage<Fetched> reap(String queue, long now, int maxStalls, Retention failed);

    CompletionStage<Optional<JobInfo>> info(String queue, String id);

    CompletionStage<JobCounts> counts(String queue);

    CompletionStage<List<JobInfo>> failed(String queue, int offset, int limit);

    CompletionStage<Boolean> retry(String queue, String id, long now);

    CompletionStage<Boolean> remove(String queue, String id);

    /** Cancels a job: {@link Cancel#ACTIVE} when it runs (its worker must stop it). */
    CompletionStage<Cancel> cancel(String queue, String id, long now, Retention failed);

    CompletionStage<Void> pause(String queue, boolean paused);

    /**
     * Enqueues the job of scheduler {@code name} for fire time {@code fireTime} unless that time
     * (or a later one) was already fired; with {@code enqueue} false only records the time
     * (a skipped misfire). Answers whether this call recorded it.
     */
    CompletionStage<Boolean> fire(String queue, String name, long fireTime, boolean enqueue, NewRecord job, long now);

    /** The last fire time recorded for scheduler {@code name}, or -1. */
    CompletionStage<Long> lastFire(String queue, String name);

    /** Calls {@code wake} when jobs may have become ready on {@code queue} (added anywhere, resumed). */
    AutoCloseable onWake(String queue, Runnable wake);

    void close();

    /** A job to add. {@code id} may be null (assigned); {@code runAt} 0 means now. */
    record NewRecord(String id, String data, int priority, boolean lifo, int attempts, String backoff, long runAt,
                     long dedupeMs) {}

    /**
     * What a fetch asks for. {@code request} (empty: none) names the request: sent again after its
     * reply was lost, it leases the jobs its first run leased (those still held) rather than others,
     * which would wait out their lease before anyone starts them.
     */
    record FetchRequest(long now, long leaseMs, int max, String owner, int rateMax, long rateWindowMs,
                        int globalConcurrency, int maxStalls, Retention failed, String request) {

        public FetchRequest(long now, long leaseMs, int max, String owner, int rateMax, long rateWindowMs,
                            int globalConcurrency, int maxStalls, Retention failed) {
            this(now, leaseMs, max, owner, rateMax, rateWindowMs, globalConcurrency, maxStalls, failed, "");
        }

        /** The same request, sent again at {@code time}. */
        public FetchRequest at(long time) {
            return new FetchRequest(time, leaseMs, max, owner, rateMax, rateWindowMs, globalConcurrency, maxStalls,
                    failed, request);
        }
    }

    /** Jobs leased by a fetch, jobs found stalled (back to waiting or failed), and when to look again. */
    record Fetched(List<Leased> jobs, List<String> stalled, List<String> stalledFailed, long nextDueMillis) {
        static final Fetched NOTHING = new Fetched(List.of(), List.of(), List.of(), -1);
    }

    /** A leased job. */
    record Leased(String id, long token, int attempt, int maxAttempts, String data, String backoff, long readyAt) {}

    /** A leased job that its handler finished, with its result (JSON). */
    record Done(String id, long token, String result) {}

    /** The outcome of each completion, in order, and what was fetched with them (no jobs when nothing was asked). */
    record Completed(List<Outcome> outcomes, Fetched fetched) {}

    /** Leases that are gone, and jobs whose cancellation was asked for. */
    record Renewal(List<String> lost, List<String> cancelled) {}

    /** Keep at most {@code count} jobs, none older than {@code ageMs}. */
    record Retention(int count, long ageMs) {}

    enum Outcome { OK, RETRY, FAILED, LOST }

    enum Cancel { DONE, ACTIVE, FINISHED, MISSING }
}
