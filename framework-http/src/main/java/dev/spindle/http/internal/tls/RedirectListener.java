package dev.spindle.http.internal.tls;

import dev.spindle.core.EventLoops;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The cleartext listener that sends every request to HTTPS, with the same header limits and read timeout. */
final class RedirectListener implements AutoCloseable {

    private final Channel listener;
    private final ChannelGroup connections;

    private RedirectListener(Channel listener, ChannelGroup connections) {
        this.listener = listener;
        this.connections = connections;
    }

    /** Limits of the redirect listener's requests, taken from the HTTP settings. */
    record Limits(int maxRequestLine, int maxHeaderSize, Duration readTimeout) {
    }

    static RedirectListener bind(EventLoops loops, String host, int port, int httpsPort, Limits limits,
                                 MeterRegistry registry) throws InterruptedException {
        Counter redirects = Counter.builder("spindle.tls.redirects")
                .description("Cleartext requests redirected to HTTPS").register(registry);
        ChannelGroup connections = new DefaultChannelGroup("spindle-redirects", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group())
                .channel(loops.transport().serverChannelType())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        connections.add(channel);
                        channel.pipeline()
                                .addLast(new ReadTimeoutHandler(limits.readTimeout().toNanos(), TimeUnit.NANOSECONDS))
                                .addLast(new HttpServerCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(limits.maxRequestLine())
                                        .setMaxHeaderSize(limits.maxHeaderSize())))
                                .addLast(new RedirectHandler(httpsPort, redirects));
                    }
                });
        return new RedirectListener(bootstrap.bind(host, port).sync().channel(), connections);
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly(TimeUnit.SECONDS.toMillis(2));
    }
}
