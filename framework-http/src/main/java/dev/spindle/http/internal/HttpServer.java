package dev.spindle.http.internal;

import dev.spindle.core.EventLoops;
import dev.spindle.http.internal.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Binds the listener and builds each connection's pipeline:
 * {@code ConnectionGuard -> HttpServerCodec (limits) -> HttpDispatcher}.
 */
public final class HttpServer {

    private final ServerContext server;
    private final EventLoops loops;
    private final ServerTls tls;
    private Channel listener;

    public HttpServer(ServerContext server, EventLoops loops) {
        this(server, loops, null);
    }

    /** A server whose connections start with TLS when {@code tls} is not null. */
    public HttpServer(ServerContext server, EventLoops loops, ServerTls tls) {
        this.server = server;
        this.loops = loops;
        this.tls = tls;
    }

    /** Binds and returns the bound address (the real port when 0 was asked for). */
    public InetSocketAddress bind(String host, int port) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group())
                .channel(loops.transport().serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 << 10, 128 << 10))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        server.connections.add(channel);
                        if (tls != null) {
                            tls.install(channel, http1 -> install(http1, server));
                        } else {
                            install(channel, server);
                        }
                    }
                });
        listener = bootstrap.bind(host, port).sync().channel();
        return (InetSocketAddress) listener.localAddress();
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
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
    }

    /**
     * Closes idle connections now, makes busy ones close after their current response, and asks
     * WebSockets and SSE streams to end.
     */
    public void drainConnections() {
        server.longLived.drainAll();
        for (Channel channel : server.connections) {
            channel.eventLoop().execute(() -> {
                HttpDispatcher dispatcher = channel.pipeline().get(HttpDispatcher.class);
                if (dispatcher != null) {
                    dispatcher.drain();
                }
            });
        }
    }

    /** Closes every connection and waits up to {@code timeout}. */
    public void closeConnections(Duration timeout) {
        server.connections.close().awaitUninterruptibly(timeout.toMillis());
    }
}
