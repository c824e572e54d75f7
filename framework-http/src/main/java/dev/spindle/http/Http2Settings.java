package dev.spindle.http;

import dev.spindle.core.Setting;
import dev.spindle.core.spi.SettingsProvider;
import java.time.Duration;
import java.util.List;

/**
 * Settings of HTTP/2. It is on by default because a client only gets it by asking: over HTTPS
 * through ALPN (browsers, curl, the JDK client), on cleartext with the connection preface (prior
 * knowledge) or an {@code Upgrade: h2c} request; every other client keeps HTTP/1.1 as before. Each
 * stream is one request through the same router, middleware, deadlines and limits as HTTP/1.1;
 * its header block is bounded by {@code http.max-header-size} (431 beyond it).
 *
 * <p>The protections against the known HTTP/2 attacks are on with these defaults: rapid reset
 * (CVE-2023-44487, {@link #MAX_RESETS}), CONTINUATION floods ({@link #MAX_SMALL_CONTINUATIONS}),
 * SETTINGS and PING floods ({@link #MAX_QUEUED_CONTROL_FRAMES}), HPACK bombs (the header list
 * limit applies to the decoded size). A client that trips one gets {@code GOAWAY} and is
 * disconnected; its streams are cancelled like any disconnected request.
 *
 * <pre>{@code
 * server.http2.max-concurrent-streams=100
 * server.http2.initial-window-size=64KiB
 * }</pre>
 */
public final class Http2Settings implements SettingsProvider {

    /** Whether HTTP/2 is offered: h2 through ALPN on HTTPS, h2c by prior knowledge or Upgrade on cleartext. */
    public static final Setting<Boolean> ENABLED = Setting.bool("server.http2.enabled", true);
    /** Streams a client may have open at once on one connection ({@code SETTINGS_MAX_CONCURRENT_STREAMS}). */
    public static final Setting<Integer> MAX_CONCURRENT_STREAMS =
            Setting.integer("server.http2.max-concurrent-streams", 100, 1, 1 << 16);
    /**
     * Request body bytes a client may send on one stream before the server has read them
     * ({@code SETTINGS_INITIAL_WINDOW_SIZE}): with the stream limit, it bounds what one connection
     * can make the server buffer.
     */
    public static final Setting<Long> INITIAL_WINDOW_SIZE =
            Setting.bytes("server.http2.initial-window-size", 64 << 10, 1 << 10, Integer.MAX_VALUE);
    /** Request body bytes in flight on the whole connection, all streams together (the connection window). */
    public static final Setting<Long> CONNECTION_WINDOW_SIZE =
            Setting.bytes("server.http2.connection-window-size", 1 << 20, 64 << 10, Integer.MAX_VALUE);
    /** Largest frame payload the server accepts ({@code SETTINGS_MAX_FRAME_SIZE}). */
    public static final Setting<Long> MAX_FRAME_SIZE =
            Setting.bytes("server.http2.max-frame-size", 16 << 10, 16 << 10, (1 << 24) - 1);
    /**
     * Streams a client may reset per {@link #RESET_WINDOW} before the connection is closed with
     * {@code ENHANCE_YOUR_CALM}: the defence against rapid reset (CVE-2023-44487).
     */
    public static final Setting<Integer> MAX_RESETS = Setting.integer("server.http2.max-resets", 200, 1, 1 << 20);
    /** The window over which {@link #MAX_RESETS} is counted. */
    public static final Setting<Duration> RESET_WINDOW = Setting.duration("server.http2.reset-window",
            Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1));
    /**
     * Small {@code CONTINUATION} frames a header block may be split into before the connection is
     * closed: the defence against CONTINUATION floods (CVE-2024-27316 and kin).
     */
    public static final Setting<Integer> MAX_SMALL_CONTINUATIONS =
            Setting.integer("server.http2.max-small-continuations", 16, 1, 10_000);
    /**
     * Control frames (SETTINGS and PING acknowledgements, resets) queued for a client that does
     * not read them, before the connection is closed: the defence against SETTINGS and PING floods.
     */
    public static final Setting<Integer> MAX_QUEUED_CONTROL_FRAMES =
            Setting.integer("server.http2.max-queued-control-frames", 10_000, 1, 1 << 20);

    /**
     * Graceful shutdown sends a first {@code GOAWAY} that still accepts streams, and a {@code PING};
     * the final {@code GOAWAY} follows the {@code PING}'s acknowledgement (one round trip: every
     * request the client sent before it is served), or this long after it if none comes.
     */
    public static final Setting<Duration> DRAIN_PING_TIMEOUT = Setting.duration("server.http2.drain-ping-timeout",
            Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMinutes(10));

    @Override
    public List<Setting<?>> settings() {
        return List.of(ENABLED, MAX_CONCURRENT_STREAMS, INITIAL_WINDOW_SIZE, CONNECTION_WINDOW_SIZE, MAX_FRAME_SIZE,
                MAX_RESETS, RESET_WINDOW, MAX_SMALL_CONTINUATIONS, MAX_QUEUED_CONTROL_FRAMES, DRAIN_PING_TIMEOUT);
    }
}
