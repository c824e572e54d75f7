package dev.spindle.http.internal;

import dev.spindle.core.Config;
import dev.spindle.core.LoopMonitor;
import dev.spindle.core.OverloadException;
import dev.spindle.core.WorkerPool;
import dev.spindle.http.ExceptionMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import dev.spindle.http.HttpSettings;
import io.netty.channel.group.ChannelGroup;

/**
 * What every connection of one server shares: the router, codecs, metrics and limits, plus the
 * draining flag that graceful shutdown raises. Immutable apart from that flag.
 */
public final class ServerContext {

    /** What a refused request is told to wait: overload and draining are short-lived. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    final Router router;
    final JsonCodec json;
    final Failures failures;
    final HttpMetrics metrics;
    final ChannelGroup connections;
    final WorkerPool offload;
    final WorkerPool blocking;
    final int maxRequestLine;
    final int maxHeaderSize;
    final long headerReadTimeoutNanos;
    final long idleTimeoutNanos;
    final long bodyReadTimeoutNanos;
    final long writeTimeoutNanos;
    final int maxConnections;
    final int maxPipelined;
    final DeadlineLog deadlineLog = new DeadlineLog();
    final boolean accessLog;
    final boolean gzip;
    final int gzipMinSize;
    final int maxInFlight;
    final long shedLagNanos;
    final TrustedProxies trustedProxies;
    final LongLivedConnections longLived;
    private volatile boolean draining;

    public ServerContext(Config config, Router router, JsonCodec json, Failures failures, HttpMetrics metrics,
                         ChannelGroup connections, WorkerPool offload, WorkerPool blocking) {
        this.router = router;
        this.json = json;
        this.failures = failures;
        this.metrics = metrics;
        this.connections = connections;
        this.offload = offload;
        this.blocking = blocking;
        this.maxRequestLine = Math.toIntExact(config.get(HttpSettings.MAX_REQUEST_LINE));
        this.maxHeaderSize = Math.toIntExact(config.get(HttpSettings.MAX_HEADER_SIZE));
        this.headerReadTimeoutNanos = config.get(HttpSettings.HEADER_READ_TIMEOUT).toNanos();
        this.idleTimeoutNanos = config.get(HttpSettings.IDLE_TIMEOUT).toNanos();
        this.bodyReadTimeoutNanos = config.get(HttpSettings.BODY_READ_TIMEOUT).toNanos();
        this.writeTimeoutNanos = config.get(HttpSettings.WRITE_TIMEOUT).toNanos();
        this.maxConnections = config.get(HttpSettings.MAX_CONNECTIONS);
        this.maxPipelined = config.get(HttpSettings.MAX_PIPELINED);
        this.accessLog = config.get(HttpSettings.ACCESS_LOG);
        this.gzip = config.get(HttpSettings.GZIP);
        this.gzipMinSize = Math.toIntExact(config.get(HttpSettings.GZIP_MIN_SIZE));
        this.maxInFlight = config.get(HttpSettings.MAX_IN_FLIGHT);
        this.shedLagNanos = config.get(HttpSettings.SHED_LAG).toNanos();
        this.trustedProxies = TrustedProxies.parse(HttpSettings.TRUSTED_PROXIES.key(),
                config.get(HttpSettings.TRUSTED_PROXIES));
        this.longLived = new LongLivedConnections(metrics.registry());
    }

    /**
     * Everything a server needs from the declared routes, compiled the one way the app does it
     * (also used by the pipeline tests and the benchmarks, so they measure the real thing).
     */
    public static ServerContext assemble(Config config, RouteCollector routes,
                                         Map<Class<? extends Throwable>, ExceptionMapper<? extends Throwable>> mappers,
                                         ObjectMapper json, MeterRegistry registry, WorkerPool offload,
                                         WorkerPool blocking) {
        HttpMetrics metrics = new HttpMetrics(registry);
        Failures failures = new Failures(mappers, metrics);
        Router router = new RouteEntries(config, metrics, failures).router(routes, DefaultHandlers.fallbacks());
        ServerContext server = new ServerContext(config, router, new JsonCodec(json), failures, metrics,
                new DefaultChannelGroup("spindle-connections", GlobalEventExecutor.INSTANCE), offload, blocking);
        for (RouteCollector.Definition definition : routes.definitions()) {
            if (definition.handler() instanceof LongLivedRoute route) {
                route.meters().accept(server.longLived, definition.template());
            }
        }
        return server;
    }

    /** The overload gate: too many requests in flight, or the calling loop's lag above the shedding threshold. */
    OverloadException overloaded() {
        if (maxInFlight > 0 && metrics.active() > maxInFlight) {
            return new OverloadException(OverloadException.Reason.IN_FLIGHT,
                    "Too many requests in flight on this instance; retry shortly", RETRY_AFTER);
        }
        if (shedLagNanos > 0 && LoopMonitor.currentLag() > shedLagNanos) {
            return new OverloadException(OverloadException.Reason.LOOP_LAG,
                    "This instance is too busy to answer in time; retry shortly", RETRY_AFTER);
        }
        return null;
    }

    /** Whether the server is draining: new requests get 503 and connections close after their response. */
    public boolean draining() {
        return draining;
    }

    /** Starts draining. */
    public void startDraining() {
        draining = true;
    }

    /** The open WebSockets and SSE streams, which graceful shutdown drains. */
    public LongLivedConnections longLived() {
        return longLived;
    }

    /** The request metrics. */
    public HttpMetrics metrics() {
        return metrics;
    }
}
