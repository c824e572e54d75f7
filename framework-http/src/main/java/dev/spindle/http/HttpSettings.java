package dev.spindle.http;

import dev.spindle.core.Setting;
import dev.spindle.core.spi.SettingsProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the HTTP server, with the defaults DESIGN.md promises. */
public final class HttpSettings implements SettingsProvider {

    /** Listen port; honours {@code PORT} as hosting platforms set it; 0 picks a free port. */
    public static final Setting<Integer> PORT = Setting.integer("server.port", 8080, 0, 65535).envAlias("PORT");
    /** Listen address. */
    public static final Setting<String> HOST = Setting.string("server.host", "0.0.0.0");
    /** Longest request line (method, target, version); longer is a 414. */
    public static final Setting<Long> MAX_REQUEST_LINE =
            Setting.bytes("http.max-request-line", 4 << 10, 64, 16 << 20);
    /** Largest header block; larger is a 431. */
    public static final Setting<Long> MAX_HEADER_SIZE = Setting.bytes("http.max-header-size", 8 << 10, 256, 16 << 20);
    /** Largest request body unless a route overrides it; larger is a 413 and the connection is closed. */
    public static final Setting<Long> MAX_BODY_SIZE = Setting.bytes("http.max-body-size", 10 << 20);
    /** Time allowed for a request's line and headers to arrive; slower is a 408 and the connection is closed. */
    public static final Setting<Duration> HEADER_READ_TIMEOUT = Setting.duration("http.header-read-timeout",
            Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofHours(1));
    /** How long an idle keep-alive connection stays open. */
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("http.idle-timeout",
            Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofDays(1));
    /**
     * Time a request body may go without a byte arriving; slower is a 408 and the connection is
     * closed (the request deadline bounds the whole body too).
     */
    public static final Setting<Duration> BODY_READ_TIMEOUT = Setting.duration("http.body-read-timeout",
            Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofHours(1));
    /**
     * Time a response may go without a byte of it leaving while the client does not read; then the
     * connection is closed (its memory is freed, nobody is listening).
     */
    public static final Setting<Duration> WRITE_TIMEOUT = Setting.duration("http.write-timeout",
            Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofHours(1));
    /** Open connections per instance above which new ones are closed at once; 0 for no bound. */
    public static final Setting<Integer> MAX_CONNECTIONS = Setting.integer("http.max-connections", 10_000, 0, 1 << 24);
    /**
     * Pipelined requests a connection holds behind the one in progress before it stops reading;
     * reading also stops while the client does not read its answers.
     */
    public static final Setting<Integer> MAX_PIPELINED = Setting.integer("http.max-pipelined", 16, 1, 1024);
    /** Whether responses are gzip-compressed for clients that accept it. */
    public static final Setting<Boolean> GZIP = Setting.bool("http.gzip.enabled", true);
    /** Smallest body worth compressing. */
    public static final Setting<Long> GZIP_MIN_SIZE = Setting.bytes("http.gzip.min-size", 1 << 10, 0, 1 << 30);
    /** Whether one access-log line is written per request (logger {@code dev.spindle.access}). */
    public static final Setting<Boolean> ACCESS_LOG = Setting.bool("http.access-log", false);
    /** Time a request may take, from its headers to its response, unless a route overrides it. */
    public static final Setting<Duration> REQUEST_DEADLINE = Setting.duration("http.request-deadline",
            Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofDays(1));
    /** Requests in flight above which new ones are refused with 503 and {@code Retry-After}; 0 for no bound. */
    public static final Setting<Integer> MAX_IN_FLIGHT = Setting.integer("http.max-in-flight", 10_000, 0, 1 << 24);
    /**
     * Smoothed event-loop lag above which a loop refuses new requests with 503 (the loop is too
     * busy to serve them in time); 0 turns lag-based shedding off.
     */
    public static final Setting<Duration> SHED_LAG =
            Setting.duration("http.shed-lag", Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1));
    /**
     * Proxies whose {@code Forwarded} / {@code X-Forwarded-*} headers are believed: comma-separated
     * addresses and CIDRs ({@code 10.0.0.0/8}), or {@code loopback} and {@code private}; none by default.
     */
    public static final Setting<Optional<String>> TRUSTED_PROXIES = Setting.optionalString("http.trusted-proxies");

    /** Path of the Prometheus endpoint. */
    public static final Setting<String> METRICS_PATH = Setting.string("http.metrics-path", "/metrics");
    /** Path of the liveness endpoint. */
    public static final Setting<String> LIVE_PATH = Setting.string("http.health.live-path", "/health/live");
    /** Path of the readiness endpoint. */
    public static final Setting<String> READY_PATH = Setting.string("http.health.ready-path", "/health/ready");

    @Override
    public List<Setting<?>> settings() {
        return List.of(PORT, HOST, MAX_REQUEST_LINE, MAX_HEADER_SIZE, MAX_BODY_SIZE, HEADER_READ_TIMEOUT,
                IDLE_TIMEOUT, BODY_READ_TIMEOUT, WRITE_TIMEOUT, MAX_CONNECTIONS, MAX_PIPELINED, REQUEST_DEADLINE, MAX_IN_FLIGHT, SHED_LAG, GZIP, GZIP_MIN_SIZE, ACCESS_LOG, METRICS_PATH, LIVE_PATH, READY_PATH,
                TRUSTED_PROXIES);
    }
}
