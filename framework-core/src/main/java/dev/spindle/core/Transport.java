package dev.spindle.core;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.function.Supplier;

/** The I/O transport under the event loops: native epoll or io_uring on Linux, NIO anywhere. */
public enum Transport {
    EPOLL("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class),
    IO_URING("io_uring", IoUringIoHandler::newFactory, IoUringServerSocketChannel.class),
    NIO("nio", NioIoHandler::newFactory, NioServerSocketChannel.class);

    private final String displayName;
    private final Supplier<IoHandlerFactory> ioHandlerFactory;
    private final Class<? extends ServerChannel> serverChannelType;

    Transport(String displayName, Supplier<IoHandlerFactory> ioHandlerFactory,
              Class<? extends ServerChannel> serverChannelType) {
        this.displayName = displayName;
        this.ioHandlerFactory = ioHandlerFactory;
        this.serverChannelType = serverChannelType;
    }

    /** What the {@code transport} setting asks for. */
    public enum Choice { AUTO, EPOLL, IO_URING, NIO }

    /**
     * Resolves a choice to a transport that loads on this machine. {@code auto} takes epoll when
     * its native library loads (the most proven native transport), otherwise NIO; an explicit
     * native choice that cannot load fails with the reason.
     */
    public static Transport select(Choice choice) {
        return switch (choice) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case EPOLL -> {
                Epoll.ensureAvailability();
                yield EPOLL;
            }
            case IO_URING -> {
                IoUring.ensureAvailability();
                yield IO_URING;
            }
            case NIO -> NIO;
        };
    }

    /** Why the native transports are not in use, for the start-up log; empty when epoll loads. */
    public static String unavailabilityCause() {
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? "" : cause.toString();
    }

    /** Short name for logs and metrics, e.g. {@code epoll}. */
    public String displayName() {
        return displayName;
    }

    /** The Netty I/O handler factory for loops on this transport. */
    public IoHandlerFactory ioHandlerFactory() {
        return ioHandlerFactory.get();
    }

    /** The server socket channel type for this transport. */
    public Class<? extends ServerChannel> serverChannelType() {
        return serverChannelType;
    }
}
