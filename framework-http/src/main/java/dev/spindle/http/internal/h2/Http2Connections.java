package dev.spindle.http.internal.h2;

import dev.spindle.core.Config;
import dev.spindle.core.CoreSettings;
import dev.spindle.http.HttpSettings;
import dev.spindle.http.Http2Settings;
import dev.spindle.http.internal.HttpServer;
import dev.spindle.http.internal.ServerContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * HTTP/2 for one server. Every connection starts with the HTTP/1.1 handlers; it switches to
 * HTTP/2 when ALPN picks {@code h2} (HTTPS), or on cleartext when the client opens with the
 * HTTP/2 preface (prior knowledge) or asks for {@code Upgrade: h2c}. The switch removes the
 * HTTP/1.1 handlers and installs Netty's frame codec and multiplexer; each stream then gets a
 * child channel whose pipeline converts frames to HTTP/1.x objects and ends in the same request
 * handlers as an HTTP/1.1 connection ({@link StreamInitializer}).
 */
public final class Http2Connections {

    static final String CODEC = "h2-codec";
    static final String STREAMS = "h2-streams";
    static final String WATCH = "h2-watch";
    /** The name ServerTls gives its HSTS handler; streams of an HTTPS connection get the same one. */
    private static final String HSTS = "tls-hsts";

    private final ServerContext server;
    private final Http2Metrics metrics;
    private final io.netty.handler.codec.http2.Http2Settings initialSettings;
    private final long idleTimeoutNanos;
    private final int connectionWindow;
    private final long drainPingTimeoutNanos;
    /** Connections between their first GOAWAY and their close. */
    private final AtomicInteger draining = new AtomicInteger();
    private final long gracefulShutdownMillis;
    private final int maxResets;
    private final int resetWindowSeconds;
    private final int maxSmallContinuations;
    private final int maxQueuedControlFrames;

    private Http2Connections(Config config, ServerContext server, MeterRegistry registry) {
        this.server = server;
        this.metrics = new Http2Metrics(registry);
        this.initialSettings = io.netty.handler.codec.http2.Http2Settings.defaultSettings()
                .maxConcurrentStreams(config.get(Http2Settings.MAX_CONCURRENT_STREAMS))
                .maxHeaderListSize(config.get(HttpSettings.MAX_HEADER_SIZE))
                .initialWindowSize(Math.toIntExact(config.get(Http2Settings.INITIAL_WINDOW_SIZE)))
                .maxFrameSize(Math.toIntExact(config.get(Http2Settings.MAX_FRAME_SIZE)));
        this.idleTimeoutNanos = config.get(HttpSettings.IDLE_TIMEOUT).toNanos();
        this.connectionWindow = Math.toIntExact(config.get(Http2Settings.CONNECTION_WINDOW_SIZE));
        this.drainPingTimeoutNanos = config.get(Http2Settings.DRAIN_PING_TIMEOUT).toNanos();
        this.gracefulShutdownMillis = config.get(CoreSettings.SHUTDOWN_GRACE).toMillis();
        this.maxResets = config.get(Http2Settings.MAX_RESETS);
        this.resetWindowSeconds = Math.toIntExact(config.get(Http2Settings.RESET_WINDOW).toSeconds());
        this.maxSmallContinuations = config.get(Http2Settings.MAX_SMALL_CONTINUATIONS);
        this.maxQueuedControlFrames = config.get(Http2Settings.MAX_QUEUED_CONTROL_FRAMES);
    }

    /** HTTP/2 as configured, or empty when {@code server.http2.enabled=false}. */
    public static Optional<Http2Connections> create(Config config, ServerContext server, MeterRegistry registry) {
        return config.get(Http2Settings.ENABLED)
                ? Optional.of(new Http2Connections(config, server, registry)) : Optional.empty();
    }

    /**
     * A cleartext connection: the HTTP/1.1 handlers {@code http1} adds, a preface detector before
     * them and an {@code h2c} upgrade handler after their codec ({@link HttpServer#ENCODER}).
     */
    public void installCleartext(Channel channel, Consumer<Channel> http1) {
        ChannelPipeline pipeline = channel.pipeline();
        Http1Handlers handlers = new Http1Handlers();
        pipeline.addLast(PrefaceDetector.NAME, new PrefaceDetector(this, handlers));
        handlers.install(channel, http1);
        if (pipeline.context(HttpServer.ENCODER) == null) {
            throw new IllegalStateException("h2c needs the HTTP/1.1 codec in the pipeline: " + pipeline.names());
        }
        // After the codec, so that the upgrade sees requests and its 101 is encoded as HTTP/1.1.
        pipeline.addAfter(HttpServer.ENCODER, H2cUpgradeHandler.NAME, new H2cUpgradeHandler(this, handlers));
    }

    /**
     * A TLS connection, after the TLS handlers: the HTTP/1.1 handlers {@code http1} adds and, in
     * front of them, the ALPN handler that swaps them for HTTP/2 when the client picked {@code h2}.
     */
    public void installNegotiated(Channel channel, Consumer<Channel> http1) {
        Http1Handlers handlers = new Http1Handlers();
        channel.pipeline().addLast(AlpnHandler.NAME, new AlpnHandler(this, handlers));
        handlers.install(channel, http1);
    }

    /**
     * Graceful shutdown of an HTTP/2 connection: the two {@code GOAWAY}s of
     * {@link ConnectionWatch#drain()}, then closed once its open streams are done. On the connection's loop.
     */
    public void drain(Channel channel) {
        ConnectionWatch watch = channel.pipeline().get(ConnectionWatch.class);
        if (watch != null) {
            watch.drain();
        } else if (channel.pipeline().get(CODEC) != null) {
            // Switching to HTTP/2 this very moment: close() sends the one GOAWAY and waits for open streams.
            channel.close();
        }
    }

    /** How many connections are between their first {@code GOAWAY} and their close. */
    public int draining() {
        return draining.get();
    }

    /** Adds the HTTP/2 handlers after {@code after} and takes {@code http1}'s out. */
    void switchToHttp2(ChannelPipeline pipeline, String after, Http1Handlers http1) {
        ChannelHandler hsts = pipeline.get(HSTS);
        pipeline.addAfter(after, CODEC, newCodec())
                .addAfter(CODEC, STREAMS, newMultiplexer(hsts))
                .addAfter(STREAMS, WATCH, newWatch(http1));
    }

    Http2FrameCodec newCodec() {
        return new CountingCodecBuilder(metrics)
                .initialSettings(new io.netty.handler.codec.http2.Http2Settings().copyFrom(initialSettings))
                .validateHeaders(true)
                .gracefulShutdownTimeoutMillis(gracefulShutdownMillis)
                .decoderEnforceMaxRstFramesPerWindow(maxResets, resetWindowSeconds)
                .decoderEnforceMaxSmallContinuationFrames(maxSmallContinuations)
                .encoderEnforceMaxQueuedControlFrames(maxQueuedControlFrames)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(2)
                .build();
    }

    Http2MultiplexHandler newMultiplexer(ChannelHandler hsts) {
        return new Http2MultiplexHandler(new StreamInitializer(server, hsts));
    }

    ConnectionWatch newWatch(Http1Handlers http1) {
        return new ConnectionWatch(http1, metrics, idleTimeoutNanos, connectionWindow, drainPingTimeoutNanos, draining);
    }
}
