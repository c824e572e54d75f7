package dev.spindle.http.internal;

import dev.spindle.core.EventLoops;
import dev.spindle.http.internal.h2.Http2Connections;
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
import java.util.function.Consumer;

/**
 * Binds the listener and builds each connection's pipeline:
 * {@code ConnectionGuard -> HttpServerCodec (limits) -> HttpDispatcher}.
 */
public final class HttpServer {

    private final ServerContext server;
    private final EventLoops loops;
    private final ServerTls tls;
    private final Http2Connections http2;
    private Channel listener;

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
                        Consumer<Channel> http1 = connection -> install(connection, server);
                        if (tls != null) {
                            tls.install(channel, http2 == null ? http1 : connection -> http2.installNegotiated(connection, http1));
                        } else if (http2 != null) {
                            http2.installCleartext(channel, http1);
                        } else {
                            http1.accept(channel);
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

    /**
     * Builds an HTTP/2 stream's request handlers, after its frame-to-HTTP codec. The guard's
     * timers stay off: the HTTP/2 connection watches idleness, and a stream's headers arrive whole.
     */
    public static void installStream(Channel stream, ServerContext server) {
        stream.pipeline().addLast("dispatcher", new HttpDispatcher(server, new ConnectionGuard(server)));
    }

    /** Stops accepting connections; open ones are untouched. */
    public void stopAccepting() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
    }

    /** Closes idle connections now and makes busy ones close after their current response. */
    public void drainConnections() {
        for (Channel channel : server.connections) {
            channel.eventLoop().execute(() -> {
                HttpDispatcher dispatcher = channel.pipeline().get(HttpDispatcher.class);
                if (dispatcher != null) {
                    dispatcher.drain();
                } else if (http2 != null) {
                    http2.drain(channel);
                }
            });
        }
    }

    /** Closes every connection and waits up to {@code timeout}. */
    public void closeConnections(Duration timeout) {
        server.connections.close().awaitUninterruptibly(timeout.toMillis());
    }
}
