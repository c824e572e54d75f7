package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of one Server-Sent Events endpoint: heartbeat interval, the outbound bound and its
 * {@link OverflowPolicy}, the client's reconnection delay and the last event sent on shutdown.
 *
 * <pre>{@code
 * app.sse("/feed", SseOptions.builder().heartbeat(Duration.ofSeconds(20)).retry(Duration.ofSeconds(2)).build(), feed::open);
 * }</pre>
 */
public final class SseOptions {

    private static final SseOptions DEFAULTS = builder().build();

    private final Duration heartbeat;
    private final long maxQueuedBytes;
    private final OverflowPolicy overflow;
    private final Duration retry;
    private final SseEvent shutdownEvent;
    private final RouteOptions route;

    private SseOptions(Builder b) {
        this.heartbeat = b.heartbeat;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.overflow = b.overflow;
        this.retry = b.retry;
        this.shutdownEvent = b.shutdownEvent;
        this.route = b.route;
    }

    /** The defaults: a heartbeat comment after 15 s of silence, a 1 MiB queue that ends the stream when full. */
    public static SseOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Silence after which a comment line is sent; zero for none. */
    public Duration heartbeat() {
        return heartbeat;
    }

    /** Bound of the outbound queue in bytes. */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** What happens past that bound. */
    public OverflowPolicy overflow() {
        return overflow;
    }

    /** The reconnection delay sent to the client when the stream opens, if set. */
    public Optional<Duration> retry() {
        return Optional.ofNullable(retry);
    }

    /** The event sent to every open stream when the server starts draining, before the stream ends. */
    public Optional<SseEvent> shutdownEvent() {
        return Optional.ofNullable(shutdownEvent);
    }

    /** Route options of the stream's request: its middleware. */
    public RouteOptions route() {
        return route;
    }

    /** Builds {@link SseOptions}. */
    public static final class Builder {

        private Duration heartbeat = Duration.ofSeconds(15);
        private long maxQueuedBytes = 1 << 20;
        private OverflowPolicy overflow = OverflowPolicy.CLOSE_TRY_AGAIN_LATER;
        private Duration retry;
        private SseEvent shutdownEvent;
        private RouteOptions route = RouteOptions.none();

        private Builder() {}

        /** Silence after which a comment line keeps proxies from closing the stream (zero: none). */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = WebSocketOptions.Builder.notNegative("heartbeat", heartbeat);
            return this;
        }

        /** Bound of the outbound queue in bytes. */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxQueuedBytes: " + bytes + " (expected: > 0)");
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /** What happens when the outbound queue is full. */
        public Builder overflow(OverflowPolicy overflow) {
            this.overflow = requireNonNull(overflow, "overflow");
            return this;
        }

        /** The reconnection delay told to the client at the start of each stream. */
        public Builder retry(Duration retry) {
            this.retry = WebSocketOptions.Builder.notNegative("retry", retry);
            return this;
        }

        /** An event sent to each open stream when the server starts draining, just before the stream ends. */
        public Builder shutdownEvent(SseEvent event) {
            this.shutdownEvent = requireNonNull(event, "event");
            return this;
        }

        /** Route options for the stream's request, such as middleware that authenticates it. */
        public Builder route(RouteOptions route) {
            this.route = requireNonNull(route, "route");
            return this;
        }

        /** The options. */
        public SseOptions build() {
            return new SseOptions(this);
        }
    }
}
