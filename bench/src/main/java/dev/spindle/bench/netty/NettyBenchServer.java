package dev.spindle.bench.netty;

import dev.spindle.bench.BenchContract;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The physical limit for a framework on Netty: epoll, {@code HttpServerCodec}, one handler that
 * writes pre-encoded responses and flushes once per read batch, and nothing else. {@code /cpu}
 * runs on a fixed pool of one thread per core, the same size as Spindle's offload pool.
 */
public final class NettyBenchServer {

    private NettyBenchServer() {}

    /** Binds and serves until SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(cores,
                new DefaultThreadFactory("netty-loop"), io);
        ExecutorService cpu = Executors.newFixedThreadPool(cores, new DefaultThreadFactory("netty-cpu", true));
        Channel listener = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new NettyBenchHandler(cpu));
                    }
                })
                .bind(BenchContract.HOST, BenchContract.port()).sync().channel();
        if (!epoll) {
            System.err.println("WARNING: native epoll unavailable, raw Netty runs on NIO: " + Epoll.unavailabilityCause());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            listener.close().awaitUninterruptibly();
            cpu.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }, "netty-bench-stop"));
    }
}
