package dev.spindle.core;

import dev.spindle.core.internal.MeasuredIoHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loops every connection runs on: one thread per core by default, on the best
 * transport that loads here. Loop threads are named {@code spindle-loop-N} so that stacks,
 * logs and the blocked-loop detector name them plainly.
 *
 * <pre>{@code
 * EventLoops loops = EventLoops.create(config);
 * }</pre>
 */
public final class EventLoops implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

    private final Transport transport;
    private final MultiThreadIoEventLoopGroup group;
    private final List<EventLoop> loops;

    private EventLoops(Transport transport, int threads) {
        this.transport = transport;
        this.group = new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory("spindle-loop", false), MeasuredIoHandler.wrap(transport.ioHandlerFactory()));
        List<EventLoop> all = new ArrayList<>(threads);
        for (EventExecutor executor : group) {
            all.add((EventLoop) executor);
        }
        this.loops = List.copyOf(all);
    }

    /** Creates the loops the configuration asks for and logs which transport they run on. */
    public static EventLoops create(Config config) {
        int threads = config.get(CoreSettings.EVENT_LOOPS);
        if (threads == 0) {
            threads = Runtime.getRuntime().availableProcessors();
        }
        Transport transport = Transport.select(config.get(CoreSettings.TRANSPORT));
        EventLoops loops = new EventLoops(transport, threads);
        if (transport == Transport.NIO && config.get(CoreSettings.TRANSPORT) == Transport.Choice.AUTO) {
            log.info("Started {} event loop(s) on the NIO transport (native epoll unavailable: {})",
                    threads, Transport.unavailabilityCause());
        } else {
            log.info("Started {} event loop(s) on the {} transport", threads, transport.displayName());
        }
        return loops;
    }

    /** The transport in use. */
    public Transport transport() {
        return transport;
    }

    /** The group, for bootstraps. */
    public EventLoopGroup group() {
        return group;
    }

    /** Each loop, in a stable order. */
    public List<EventLoop> loops() {
        return loops;
    }

    /** Number of loops. */
    public int size() {
        return loops.size();
    }

    /** Stops the loops, letting already-queued tasks run, and waits up to {@code timeout}. */
    public void shutdown(Duration timeout) {
        group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeout.toMillis() + 1000);
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
