package dev.spindle.state.jobs;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Rules of a queue that every instance applies: a rate limit and a concurrency cap across all
 * workers, how many finished jobs are kept and for how long (trimmed as jobs finish, so Redis
 * memory stays bounded under a steady stream), and how often a job may stall (its worker died
 * or stopped renewing) before it is failed rather than retried. Give every instance the same
 * options for a queue.
 *
 * <pre>{@code
 * QueueOptions.defaults().rateLimit(100, Duration.ofSeconds(1)).globalConcurrency(20)
 *         .keepCompleted(1_000, Duration.ofHours(1))
 * }</pre>
 */
public final class QueueOptions {

    private static final QueueOptions DEFAULTS = new QueueOptions(0, Duration.ofSeconds(1), 0, 1_000,
            Duration.ofDays(1), 10_000, Duration.ofDays(7), 5);

    private final int rateMax;
    private final Duration ratePer;
    private final int globalConcurrency;
    private final int keepCompleted;
    private final Duration keepCompletedFor;
    private final int keepFailed;
    private final Duration keepFailedFor;
    private final int maxStalls;

    private QueueOptions(int rateMax, Duration ratePer, int globalConcurrency, int keepCompleted,
                         Duration keepCompletedFor, int keepFailed, Duration keepFailedFor, int maxStalls) {
        this.rateMax = rateMax;
        this.ratePer = ratePer;
        this.globalConcurrency = globalConcurrency;
        this.keepCompleted = keepCompleted;
        this.keepCompletedFor = keepCompletedFor;
        this.keepFailed = keepFailed;
        this.keepFailedFor = keepFailedFor;
        this.maxStalls = maxStalls;
    }

    /**
     * No rate limit or global cap; the last 1,000 completed jobs kept up to a day, the last
     * 10,000 failed ones up to a week; a job that stalls a sixth time fails.
     */
    public static QueueOptions defaults() {
        return DEFAULTS;
    }

    /** At most {@code max} job starts per window of {@code per}, across all instances. */
    public QueueOptions rateLimit(int max, Duration per) {
        requireNonNull(per, "per");
        if (max < 1) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= 1)");
        }
        if (per.toMillis() < 1) {
            throw new IllegalArgumentException("per: " + per + " (expected: >= 1 ms)");
        }
        return new QueueOptions(max, per, globalConcurrency, keepCompleted, keepCompletedFor, keepFailed,
                keepFailedFor, maxStalls);
    }

    /** At most {@code jobs} jobs of this queue running at once across all instances. */
    public QueueOptions globalConcurrency(int jobs) {
        if (jobs < 1) {
            throw new IllegalArgumentException("globalConcurrency: " + jobs + " (expected: >= 1)");
        }
        return new QueueOptions(rateMax, ratePer, jobs, keepCompleted, keepCompletedFor, keepFailed, keepFailedFor,
                maxStalls);
    }

    /** Keeps at most {@code count} completed jobs (0: none), none older than {@code age}. */
    public QueueOptions keepCompleted(int count, Duration age) {
        checkRetention(count, age);
        return new QueueOptions(rateMax, ratePer, globalConcurrency, count, age, keepFailed, keepFailedFor, maxStalls);
    }

    /** Keeps at most {@code count} failed jobs (0: none), none older than {@code age}. */
    public QueueOptions keepFailed(int count, Duration age) {
        checkRetention(count, age);
        return new QueueOptions(rateMax, ratePer, globalConcurrency, keepCompleted, keepCompletedFor, count, age,
                maxStalls);
    }

    /** How many times a job may stall and go back to waiting; one more stall fails it. */
    public QueueOptions maxStalls(int stalls) {
        if (stalls < 0) {
            throw new IllegalArgumentException("maxStalls: " + stalls + " (expected: >= 0)");
        }
        return new QueueOptions(rateMax, ratePer, globalConcurrency, keepCompleted, keepCompletedFor, keepFailed,
                keepFailedFor, stalls);
    }

    private static void checkRetention(int count, Duration age) {
        requireNonNull(age, "age");
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        if (age.isNegative()) {
            throw new IllegalArgumentException("age: " + age + " (expected: >= 0)");
        }
    }

    /** Job starts allowed per {@link #ratePer()}; 0 means no limit. */
    public int rateMax() {
        return rateMax;
    }

    public Duration ratePer() {
        return ratePer;
    }

    /** 0 means no global cap. */
    public int globalConcurrency() {
        return globalConcurrency;
    }

    public int keepCompleted() {
        return keepCompleted;
    }

    public Duration keepCompletedFor() {
        return keepCompletedFor;
    }

    public int keepFailed() {
        return keepFailed;
    }

    public Duration keepFailedFor() {
        return keepFailedFor;
    }

    public int maxStalls() {
        return maxStalls;
    }
}
