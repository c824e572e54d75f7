package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-route or per-group settings that override the app's: request deadline, body limit and
 * extra middleware. A route inherits its group's options and overrides what it sets itself.
 *
 * <pre>{@code
 * app.post("/uploads", RouteOptions.builder().maxBodySize(100 << 20).deadline(Duration.ofMinutes(2)).build(), upload);
 * }</pre>
 */
public final class RouteOptions {

    private static final RouteOptions NONE = new RouteOptions(null, null, null, null, List.of());

    private final Duration deadline;
    private final Long maxBodySize;
    private final Boolean interruptOnDeadline;
    private final Boolean streamingBody;
    private final List<Middleware> middleware;

    private RouteOptions(Duration deadline, Long maxBodySize, Boolean interruptOnDeadline, Boolean streamingBody,
                         List<Middleware> middleware) {
        this.deadline = deadline;
        this.maxBodySize = maxBodySize;
        this.interruptOnDeadline = interruptOnDeadline;
        this.streamingBody = streamingBody;
        this.middleware = List.copyOf(middleware);
    }

    /** Options that override nothing. */
    public static RouteOptions none() {
        return NONE;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The request deadline, if overridden. */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** The largest accepted request body in bytes, if overridden. */
    public Optional<Long> maxBodySize() {
        return Optional.ofNullable(maxBodySize);
    }

    /** Whether offloaded work still running at the deadline is interrupted, if set. */
    public Optional<Boolean> interruptOnDeadline() {
        return Optional.ofNullable(interruptOnDeadline);
    }

    /** Whether the body is streamed to the handler ({@link Context#bodyStream()}) instead of aggregated, if set. */
    public Optional<Boolean> streamingBody() {
        return Optional.ofNullable(streamingBody);
    }

    /** Middleware for this scope, outermost first. */
    public List<Middleware> middleware() {
        return middleware;
    }

    /** These options with {@code inner}'s settings on top and its middleware inside ours. */
    public RouteOptions then(RouteOptions inner) {
        List<Middleware> all = new ArrayList<>(middleware);
        all.addAll(inner.middleware);
        return new RouteOptions(inner.deadline != null ? inner.deadline : deadline,
                inner.maxBodySize != null ? inner.maxBodySize : maxBodySize,
                inner.interruptOnDeadline != null ? inner.interruptOnDeadline : interruptOnDeadline,
                inner.streamingBody != null ? inner.streamingBody : streamingBody, all);
    }

    /** Builds {@link RouteOptions}. */
    public static final class Builder {

        private Duration deadline;
        private Long maxBodySize;
        private Boolean interruptOnDeadline;
        private Boolean streamingBody;
        private final List<Middleware> middleware = new ArrayList<>();

        private Builder() {}

        /** The request deadline for this scope (must be positive). */
        public Builder deadline(Duration deadline) {
            requireNonNull(deadline, "deadline");
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline: " + deadline + " (expected: > 0)");
            }
            this.deadline = deadline;
            return this;
        }

        /** The largest accepted request body in bytes (0 refuses any body). */
        public Builder maxBodySize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxBodySize: " + bytes + " (expected: >= 0)");
            }
            this.maxBodySize = bytes;
            return this;
        }

        /**
         * Whether offloaded work still running when the deadline passes gets {@link Thread#interrupt()}.
         * Off by default: only enable it for code that stops cleanly when interrupted.
         */
        public Builder interruptOnDeadline(boolean interrupt) {
            this.interruptOnDeadline = interrupt;
            return this;
        }

        /**
         * Streams the request body to the handler through {@link Context#bodyStream()} with
         * backpressure, for uploads too large to hold in memory. Such routes accept bodies of any
         * size unless {@link #maxBodySize(long)} is also set.
         */
        public Builder streamingBody() {
            this.streamingBody = true;
            return this;
        }

        /** Adds middleware; the first added is the outermost. */
        public Builder use(Middleware middleware) {
            this.middleware.add(requireNonNull(middleware, "middleware"));
            return this;
        }

        /** The options. */
        public RouteOptions build() {
            return new RouteOptions(deadline, maxBodySize, interruptOnDeadline, streamingBody, middleware);
        }
    }
}
