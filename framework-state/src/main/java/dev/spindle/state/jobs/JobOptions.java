package dev.spindle.state.jobs;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How one job is run: when ({@link Builder#delay}, {@link Builder#at}; never earlier), how often
 * it is tried and how long it waits between tries, its priority, and an optional id that makes
 * adding it idempotent.
 *
 * <pre>{@code
 * JobOptions.builder().delay(Duration.ofMinutes(5)).attempts(5)
 *         .backoff(Backoff.exponential(Duration.ofSeconds(1))).id("welcome-" + userId).priority(2).build()
 * }</pre>
 */
public final class JobOptions {

    /** The highest priority. */
    public static final int MAX_PRIORITY = 1023;

    private static final JobOptions DEFAULTS = builder().build();

    private final Optional<String> id;
    private final Duration delay;
    private final Optional<Instant> at;
    private final int attempts;
    private final Backoff backoff;
    private final int priority;
    private final boolean lifo;
    private final Duration dedupeWindow;

    private JobOptions(Builder b) {
        this.id = Optional.ofNullable(b.id);
        this.delay = b.delay;
        this.at = Optional.ofNullable(b.at);
        this.attempts = b.attempts;
        this.backoff = b.backoff;
        this.priority = b.priority;
        this.lifo = b.lifo;
        this.dedupeWindow = b.dedupeWindow;
    }

    /** Run as soon as a worker is free, 3 attempts, exponential backoff from one second, priority 0. */
    public static JobOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<String> id() {
        return id;
    }

    public Duration delay() {
        return delay;
    }

    public Optional<Instant> at() {
        return at;
    }

    public int attempts() {
        return attempts;
    }

    public Backoff backoff() {
        return backoff;
    }

    public int priority() {
        return priority;
    }

    public boolean lifo() {
        return lifo;
    }

    public Duration dedupeWindow() {
        return dedupeWindow;
    }

    /** Builds {@link JobOptions}. */
    public static final class Builder {
        private String id;
        private Duration delay = Duration.ZERO;
        private Instant at;
        private int attempts = 3;
        private Backoff backoff = Backoff.exponential(Duration.ofSeconds(1));
        private int priority;
        private boolean lifo;
        private Duration dedupeWindow = Duration.ZERO;

        private Builder() {}

        /**
         * The job's id: adding a job whose id exists (waiting, delayed, running, or kept after it
         * finished) adds nothing and answers the existing id. Up to 200 characters.
         */
        public Builder id(String id) {
            requireNonNull(id, "id");
            if (id.isEmpty() || id.length() > 200) {
                throw new IllegalArgumentException("id: '" + id + "' (expected: 1..200 characters)");
            }
            this.id = id;
            return this;
        }

        /** Runs the job no earlier than {@code delay} after it is added. */
        public Builder delay(Duration delay) {
            requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
            }
            this.delay = delay;
            return this;
        }

        /** Runs the job no earlier than {@code at} (wins over {@link #delay}). */
        public Builder at(Instant at) {
            this.at = requireNonNull(at, "at");
            return this;
        }

        /** How many times the job is tried in all (1 means no retry). */
        public Builder attempts(int attempts) {
            if (attempts < 1 || attempts > 1_000_000) {
                throw new IllegalArgumentException("attempts: " + attempts + " (expected: 1..1000000)");
            }
            this.attempts = attempts;
            return this;
        }

        /** The wait before each retry. */
        public Builder backoff(Backoff backoff) {
            this.backoff = requireNonNull(backoff, "backoff");
            return this;
        }

        /** Higher runs first, 0 (the default) to {@link #MAX_PRIORITY}; FIFO among equals. */
        public Builder priority(int priority) {
            if (priority < 0 || priority > MAX_PRIORITY) {
                throw new IllegalArgumentException("priority: " + priority + " (expected: 0.." + MAX_PRIORITY + ")");
            }
            this.priority = priority;
            return this;
        }

        /** Runs this job before the others of its priority that are already waiting (last in, first out). */
        public Builder lifo(boolean lifo) {
            this.lifo = lifo;
            return this;
        }

        /**
         * Keeps the id taken for {@code window} after the job completed, so adding it again within
         * the window adds nothing even when retention has already removed the job.
         */
        public Builder dedupeWindow(Duration window) {
            requireNonNull(window, "window");
            if (window.isNegative()) {
                throw new IllegalArgumentException("window: " + window + " (expected: >= 0)");
            }
            this.dedupeWindow = window;
            return this;
        }

        public JobOptions build() {
            return new JobOptions(this);
        }
    }
}
