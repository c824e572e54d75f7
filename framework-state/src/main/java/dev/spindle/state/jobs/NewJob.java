package dev.spindle.state.jobs;

import static java.util.Objects.requireNonNull;

/** One job of a bulk {@link JobQueue#addAll add}: its data and options. */
public record NewJob<T>(T data, JobOptions options) {

    public NewJob {
        requireNonNull(data, "data");
        requireNonNull(options, "options");
    }

    /** A job with the default options. */
    public static <T> NewJob<T> of(T data) {
        return new NewJob<>(data, JobOptions.defaults());
    }

    /** A job with {@code options}. */
    public static <T> NewJob<T> of(T data, JobOptions options) {
        return new NewJob<>(data, options);
    }
}
