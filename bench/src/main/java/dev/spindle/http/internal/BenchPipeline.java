package dev.spindle.http.internal;

import dev.spindle.core.Config;
import dev.spindle.core.WorkerPool;
import dev.spindle.http.HttpSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bench-only door into Spindle's server pipeline, so that the JMH response-path benchmark can
 * drive the real dispatcher and encoder through an {@code EmbeddedChannel}. It lives in the
 * internal package because the pieces it assembles are package-private; it mirrors
 * {@code Spindle.start()} and {@code HttpServer.bind()} and must follow them when they change.
 */
public final class BenchPipeline {

    private BenchPipeline() {}

    /** The server state {@code Spindle.start()} would build for {@code routes}, with default settings. */
    public static ServerContext server(Config config, RouteCollector routes, MeterRegistry registry,
                                       WorkerPool offload, WorkerPool blocking) {
        HttpMetrics metrics = new HttpMetrics(registry);
        Router router = new RouteEntries(config, metrics).router(routes, DefaultHandlers.fallbacks());
        return new ServerContext(config, router, new JsonCodec(JsonMapper.builder().build()),
                new Failures(Map.of(), metrics), metrics,
                new DefaultChannelGroup("bench-connections", GlobalEventExecutor.INSTANCE), offload, blocking);
    }

    /** Installs the connection pipeline {@code HttpServer} installs: guard, codec with limits, dispatcher. */
    public static void install(Channel channel, ServerContext server, Config config) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(Math.toIntExact(config.get(HttpSettings.MAX_REQUEST_LINE)))
                .setMaxHeaderSize(Math.toIntExact(config.get(HttpSettings.MAX_HEADER_SIZE)))
                .setMaxChunkSize(64 << 10)
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false);
        ConnectionGuard guard = new ConnectionGuard(server);
        channel.pipeline()
                .addLast("guard", guard)
                .addLast("codec", new HttpServerCodec(decoder))
                .addLast("dispatcher", new HttpDispatcher(server, guard));
    }
}
