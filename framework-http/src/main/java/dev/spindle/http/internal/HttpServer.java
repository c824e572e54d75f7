package dev.spindle.http.internal;

import dev.spindle.core.EventLoops;
import dev.spindle.http.internal.listen.Listeners;
import dev.spindle.http.internal.listen.LoopCounters;
import dev.spindle.http.internal.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Binds the listeners and builds each connection's pipeline:
 * {@code ConnectionGuard -> HttpServerCodec (limits) -> HttpDispatcher}.
 */
public final class HttpServer {

    private final ServerContext server;
    private final EventLoops loops;
    private final ServerTls tls;
    private Listeners listeners;

    public HttpServer(ServerContext server, EventLoops loops) {
        this(server, loops, null);
    }

    /** A server whose connections start with TLS when {@code tls} is not null. */
    public HttpServer(ServerContext server, EventLoops loops, ServerTls tls) {
        this.server = server;
        this.loops = loops;
        this.tls = tls;
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
                        LoopCounters.connectionAccepted();
                        server.connections.add(channel);
                        if (tls != null) {
                            tls.install(channel, http1 -> install(http1, server));
                        } else {
                            install(channel, server);
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
                .setAllowDuplicateContentLengths(false);
        ConnectionGuard guard = new ConnectionGuard(server);
        channel.pipeline()
                .addLast("guard", guard)
                .addLast("codec", new HttpServerCodec(decoder))
                .addLast("dispatcher", new HttpDispatcher(server, guard));
    }

    /** Stops accepting connections; open ones are untouched. */
    public void stopAccepting() {
        if (listeners != null) {
            listeners.close();
        }
    }

    /**
     * Closes idle connections now and makes busy ones close after their current response (once the
     * server is draining); returns when every connection's loop has done so, or after 5 s.
     */
    public void drainConnections() {
        List<Future<?>> done = new ArrayList<>();
        for (Channel channel : server.connections) {
            done.add(channel.eventLoop().submit(() -> {
                HttpDispatcher dispatcher = channel.pipeline().get(HttpDispatcher.class);
                if (dispatcher != null) {
                    dispatcher.drain();
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Future<?> future : done) {
            future.awaitUninterruptibly(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /** Closes every connection and waits up to {@code timeout}. */
    public void closeConnections(Duration timeout) {
        server.connections.close().awaitUninterruptibly(timeout.toMillis());
    }
}
