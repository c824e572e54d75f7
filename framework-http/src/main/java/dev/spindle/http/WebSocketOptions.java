package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Settings of one WebSocket endpoint: subprotocols, allowed origins, size limits, the outbound
 * bound and its {@link OverflowPolicy}, keep-alive and compression. The defaults suit a browser
 * chat or dashboard behind a proxy.
 *
 * <pre>{@code
 * app.websocket("/prices", WebSocketOptions.builder()
 *         .maxQueuedBytes(256 << 10).overflow(OverflowPolicy.DROP_OLDEST)
 *         .compression(true).build(), prices::open);
 * }</pre>
 */
public final class WebSocketOptions {

    private static final WebSocketOptions DEFAULTS = builder().build();

    private final List<String> subprotocols;
    private final Set<String> allowedOrigins;
    private final boolean anyOrigin;
    private final int maxFrameSize;
    private final int maxMessageSize;
    private final long maxQueuedBytes;
    private final OverflowPolicy overflow;
    private final Duration pingInterval;
    private final Duration pongTimeout;
    private final Duration closeTimeout;
    private final boolean compression;
    private final RouteOptions route;

    private WebSocketOptions(Builder b) {
        this.subprotocols = List.copyOf(b.subprotocols);
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.anyOrigin = b.anyOrigin;
        this.maxFrameSize = b.maxFrameSize;
        this.maxMessageSize = b.maxMessageSize;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.overflow = b.overflow;
        this.pingInterval = b.pingInterval;
        this.pongTimeout = b.pongTimeout;
        this.closeTimeout = b.closeTimeout;
        this.compression = b.compression;
        this.route = b.route;
    }

    /** The defaults: no subprotocol, same-origin check for cookie-carrying upgrades, 64 KiB frames, 1 MiB messages,
     *  1 MiB outbound queue closing with 1013, ping every 30 s with a 30 s pong timeout, no compression. */
    public static WebSocketOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Subprotocols offered, in order of preference. */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** Origins allowed besides the server's own (empty: same origin only, for upgrades that carry cookies). */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Whether the origin check is off. */
    public boolean anyOrigin() {
        return anyOrigin;
    }

    /** Largest frame payload accepted; larger closes with 1009. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** Largest message (all its fragments) accepted; larger closes with 1009. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** Bound of the outbound queue in bytes. */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** What happens past that bound. */
    public OverflowPolicy overflow() {
        return overflow;
    }

    /** Interval between pings while the socket is open; zero for none. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** How long a ping may go unanswered before the connection is dropped. */
    public Duration pongTimeout() {
        return pongTimeout;
    }

    /** How long the server waits for the client's answer to its close frame before dropping the connection. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** Whether permessage-deflate (RFC 7692) is offered. */
    public boolean compression() {
        return compression;
    }

    /** Route options of the upgrade request: its middleware, deadline. */
    public RouteOptions route() {
        return route;
    }

    /** Builds {@link WebSocketOptions}. */
    public static final class Builder {

        private List<String> subprotocols = List.of();
        private Set<String> allowedOrigins = Set.of();
        private boolean anyOrigin;
        private int maxFrameSize = 64 << 10;
        private int maxMessageSize = 1 << 20;
        private long maxQueuedBytes = 1 << 20;
        private OverflowPolicy overflow = OverflowPolicy.CLOSE_TRY_AGAIN_LATER;
        private Duration pingInterval = Duration.ofSeconds(30);
        private Duration pongTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private boolean compression;
        private RouteOptions route = RouteOptions.none();

        private Builder() {}

        /** Subprotocols this endpoint speaks, in order of preference; the first the client also offers is agreed. */
        public Builder subprotocols(String... subprotocols) {
            this.subprotocols = List.of(subprotocols);
            return this;
        }

        /**
         * Origins (such as {@code https://app.example.com}) allowed to open sockets besides the
         * server's own. Without any, an upgrade that carries cookies must come from the same origin
         * (against cross-site WebSocket hijacking); with some, every upgrade's origin is checked.
         */
        public Builder allowedOrigins(String... origins) {
            this.allowedOrigins = Set.of(origins);
            return this;
        }

        /** Turns the origin check off: for sockets authenticated by a token the page must send, not by cookies. */
        public Builder anyOrigin() {
            this.anyOrigin = true;
            return this;
        }

        /** Largest frame payload in bytes (1009 above). */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = positive("maxFrameSize", bytes);
            return this;
        }

        /** Largest message in bytes, fragments joined (1009 above). */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = positive("maxMessageSize", bytes);
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

        /** Interval between pings (zero: no pings, and no pong timeout). */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = notNegative("pingInterval", interval);
            return this;
        }

        /** How long a ping may go unanswered before the connection is dropped (must be positive). */
        public Builder pongTimeout(Duration timeout) {
            this.pongTimeout = positive("pongTimeout", timeout);
            return this;
        }

        /** How long to wait for the client's close frame after sending ours (must be positive). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive("closeTimeout", timeout);
            return this;
        }

        /** Offers permessage-deflate; clients that ask for it get compressed messages. */
        public Builder compression(boolean compression) {
            this.compression = compression;
            return this;
        }

        /** Route options for the upgrade request, such as middleware that authenticates it. */
        public Builder route(RouteOptions route) {
            this.route = requireNonNull(route, "route");
            return this;
        }

        /** The options. */
        public WebSocketOptions build() {
            if (maxFrameSize > maxMessageSize) {
                throw new IllegalArgumentException("maxFrameSize: " + maxFrameSize + " (expected: <= maxMessageSize "
                        + maxMessageSize + ")");
            }
            return new WebSocketOptions(this);
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }

        static Duration positive(String name, Duration value) {
            requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }

        static Duration notNegative(String name, Duration value) {
            requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
            }
            return value;
        }
    }
}
