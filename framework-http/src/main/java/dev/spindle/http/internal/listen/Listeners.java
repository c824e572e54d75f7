package dev.spindle.http.internal.listen;

import dev.spindle.core.EventLoops;
import dev.spindle.core.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's listening sockets. On epoll and io_uring, one {@code SO_REUSEPORT} socket per event
 * loop, each accepting onto its own loop, so the kernel spreads new connections over the loops and
 * no loop is an acceptor for the others; elsewhere (or with {@code server.reuse-port=false}) one
 * acceptor that hands connections to the loops in turn. A port shared with other processes (the
 * cluster's workers) is bound with {@code SO_REUSEPORT} in either layout.
 */
public final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    /** How the sockets are laid out. */
    public enum Layout {
        /** One {@code SO_REUSEPORT} socket per event loop. */
        PER_LOOP,
        /** One socket, accepting for every loop. */
        SINGLE
    }

    private final Layout layout;
    private final List<Channel> channels;
    private final InetSocketAddress address;

    private Listeners(Layout layout, List<Channel> channels) {
        this.layout = layout;
        this.channels = List.copyOf(channels);
        this.address = (InetSocketAddress) channels.get(0).localAddress();
    }

    /** The layout {@code reusePort} gives on this transport with this many loops. */
    public static Layout layout(Transport transport, int loops, boolean reusePort) {
        return reusePort && transport != Transport.NIO && loops > 1 ? Layout.PER_LOOP : Layout.SINGLE;
    }

    /**
     * Binds {@code host:port}. {@code configure} sets the child options and handler on each
     * bootstrap; this class sets the groups, channel type and listener options. Unless
     * {@code shared}, a fixed port already served by another process fails here, even though
     * {@code SO_REUSEPORT} would let the bind succeed and split the traffic with it.
     */
    public static Listeners bind(EventLoops loops, String host, int port, boolean reusePort, boolean shared,
                                 Consumer<ServerBootstrap> configure) throws InterruptedException {
        Layout layout = layout(loops.transport(), loops.size(), reusePort);
        boolean setReusePort = layout == Layout.PER_LOOP || shared;
        if (setReusePort && !shared && port != 0) {
            checkPortIsFree(host, port);
        }
        List<Channel> channels = new ArrayList<>();
        try {
            if (layout == Layout.SINGLE) {
                channels.add(bootstrap(loops, loops.group(), setReusePort, configure).bind(host, port).sync().channel());
            } else {
                int boundPort = port;
                for (EventLoop loop : loops.loops()) {
                    Channel channel = bootstrap(loops, loop, true, configure).bind(host, boundPort).sync().channel();
                    channels.add(channel);
                    boundPort = ((InetSocketAddress) channel.localAddress()).getPort();
                }
            }
        } catch (Throwable e) {
            channels.forEach(channel -> channel.close().awaitUninterruptibly());
            throw e;
        }
        Listeners listeners = new Listeners(layout, channels);
        log.debug("Listening on {} with {} socket(s) ({}{})", listeners.address, channels.size(), layout,
                setReusePort ? ", SO_REUSEPORT" : "");
        return listeners;
    }

    private static ServerBootstrap bootstrap(EventLoops loops, io.netty.channel.EventLoopGroup group, boolean reusePort,
                                             Consumer<ServerBootstrap> configure) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group, group)
                .channel(loops.transport().serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true);
        if (reusePort) {
            switch (loops.transport()) {
                case EPOLL -> bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
                case IO_URING -> bootstrap.option(IoUringChannelOption.SO_REUSEPORT, true);
                case NIO -> bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
            }
        }
        configure.accept(bootstrap);
        return bootstrap;
    }

    /** Fails when another socket listens on the port (a plain bind is refused even next to SO_REUSEPORT). */
    private static void checkPortIsFree(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + host + ":" + port
                    + ": the port is in use by another process (" + e.getMessage() + ")", e);
        }
    }

    /** The layout in use. */
    public Layout layout() {
        return layout;
    }

    /** Number of listening sockets. */
    public int size() {
        return channels.size();
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    /** Closes every listening socket; accepted connections are untouched. */
    public void close() {
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly();
        }
    }
}
