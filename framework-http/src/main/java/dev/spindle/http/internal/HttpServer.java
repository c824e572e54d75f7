package dev.spindle.http.internal;

import dev.spindle.core.EventLoops;
import dev.spindle.http.internal.listen.Listeners;
import dev.spindle.http.internal.listen.LoopCounters;
import dev.spindle.http.internal.h2.Http2Connections;
import dev.spindle.http.internal.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Binds the listeners and builds each connection's pipeline:
 * {@code decoder (RequestDecoder, limits) -> encoder (Http1Encoder) -> connection (Connection)}.
 */
public final class HttpServer {

    /** Pipeline names, for hooks that add handlers around the codec (TLS, WebSocket upgrade, HTTP/2). */
    public static final String DECODER = "decoder";
    public static final String ENCODER = "encoder";
    public static final String CONNECTION = "connection";

    private final ServerContext server;
    private final EventLoops loops;
    private final ServerTls tls;
    private final Http2Connections http2;
    private Listeners listeners;

    public HttpServer(ServerContext server, EventLoops loops) {
        this(server, loops, null, null);
    }

    /**
     * A server whose connections start with TLS when {@code tls} is not null, and may switch to
     * HTTP/2 when {@code http2} is not null.
     */
    public HttpServer(ServerContext server, EventLoops loops, ServerTls tls, Http2Connections http2) {
        this.server = server;
        this.loops = loops;
        this.tls = tls;
        this.http2 = http2;
    }

    /**
     * Binds and returns the bound address (the real port when 0 was asked for): one
     * {@code SO_REUSEPORT} socket per loop when {@code reusePort} and the transport allow it
     * (see {@link Listeners}); {@code shared} when other processes serve the same port.
     */
    public InetSocketAddress bind(String host, int port, boolean reusePort, boolean shared) throws InterruptedException {
        LoopCounters.register(loops, server.metrics().registry());
        listeners = Listeners.bind(loops, host, port, reusePort, shared, bootstrap -> bootstrap
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 << 10, 128 << 10))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (server.maxConnections > 0 && server.connections.size() >= server.maxConnections) {
                            // Past the bound a connection is closed at once: cheaper than serving it badly.
                            server.metrics.rejected("connections");
                            channel.close();
                            return;
                        }
                        LoopCounters.connectionAccepted();
                        server.connections.add(channel);
                        Consumer<Channel> http1 = connection -> install(connection, server);
                        if (tls != null) {
                            tls.install(channel, http2 == null ? http1 : connection -> http2.installNegotiated(connection, http1));
                        } else if (http2 != null) {
                            http2.installCleartext(channel, http1);
                        } else {
                            http1.accept(channel);
                        }
                    }
                }));
        return listeners.address();
    }

    /** The listening sockets; present once bound. */
    public Listeners listeners() {
        return listeners;
    }

    /** Builds a connection's pipeline; also used by the pipeline tests and the benchmarks. */
    public static void install(Channel channel, ServerContext server) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(server.maxRequestLine)
                .setMaxHeaderSize(server.maxHeaderSize)
                .setMaxChunkSize(64 << 10)
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                // RFC 9112 6.1/6.3, pinned rather than left to a JVM-wide Netty property: Transfer-Encoding
                // must end in chunked, and with Content-Length as well the request is refused (400, closed).
                .setUseRfc9112TransferEncoding(true);
        channel.pipeline()
                .addLast(DECODER, new RequestDecoder(decoder))
                .addLast(ENCODER, new Http1Encoder());
        installRequestChain(channel, server);
    }

    /**
     * Adds the per-request chain (one {@link Connection}) after an HTTP codec already in the
     * pipeline: this server's HTTP/1.x codec, or an HTTP/2 stream's
     * {@code Http2StreamFrameToHttpObjectCodec}, which then gets the same routing, limits, deadlines
     * and answers. Without {@link RequestDecoder} in front, the connection leaves idle and read
     * timers to whoever owns the transport.
     */
    public static void installRequestChain(Channel channel, ServerContext server) {
        channel.pipeline().addLast(CONNECTION, new Connection(server));
    }

    /** Stops accepting connections; open ones are untouched. */
    public void stopAccepting() {
        if (listeners != null) {
            listeners.close();
        }
    }

    /**
     * Closes idle connections now, makes busy ones close after their current response (once the
     * server is draining) and asks WebSockets and SSE streams to end; returns when every
     * connection's loop has done so, or after 5 s.
     */
    public void drainConnections() {
        server.longLived.drainAll();
        List<Future<?>> done = new ArrayList<>();
        for (Channel channel : server.connections) {
            done.add(channel.eventLoop().submit(() -> {
                Connection connection = channel.pipeline().get(Connection.class);
                if (connection != null) {
                    connection.drain();
                } else if (http2 != null) {
                    http2.drain(channel);
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Future<?> future : done) {
            future.awaitUninterruptibly(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /** HTTP/2 connections between their first {@code GOAWAY} and their close: graceful shutdown waits for them. */
    public int http2Draining() {
        return http2 == null ? 0 : http2.draining();
    }

    /** Closes every connection and waits up to {@code timeout}. */
    public void closeConnections(Duration timeout) {
        server.connections.close().awaitUninterruptibly(timeout.toMillis());
    }
}
