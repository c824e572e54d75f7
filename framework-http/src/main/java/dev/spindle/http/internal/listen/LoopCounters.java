package dev.spindle.http.internal.listen;

import dev.spindle.core.EventLoops;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.TimeUnit;

/**
 * Connections accepted and requests started per event loop ({@code spindle.http.loop.connections},
 * {@code spindle.http.loop.requests}, tag {@code loop} as the loop monitor numbers loops): how
 * evenly the kernel or the acceptor spreads the work. Each loop writes only its own slot (one
 * writer, so no atomic add), found through a fast thread-local bound when the server starts.
 */
public final class LoopCounters {

    private static final FastThreadLocal<Slot> CURRENT = new FastThreadLocal<>();

    private LoopCounters() {}

    /** Registers the counters of each loop and binds its slot to the loop's thread. */
    public static void register(EventLoops loops, MeterRegistry registry) {
        int index = 0;
        for (EventLoop loop : loops.loops()) {
            Slot slot = new Slot();
            String name = String.valueOf(index++);
            FunctionCounter.builder("spindle.http.loop.connections", slot, s -> s.connections)
                    .tag("loop", name)
                    .description("Connections accepted by this event loop")
                    .register(registry);
            FunctionCounter.builder("spindle.http.loop.requests", slot, s -> s.requests)
                    .tag("loop", name)
                    .description("Requests started on this event loop")
                    .register(registry);
            loop.submit(() -> CURRENT.set(slot)).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    /** Counts a connection accepted by the calling loop; a no-op off the loops. */
    public static void connectionAccepted() {
        Slot slot = CURRENT.getIfExists();
        if (slot != null) {
            slot.connections++;
        }
    }

    /** Counts a request started on the calling loop; a no-op off the loops. */
    public static void requestStarted() {
        Slot slot = CURRENT.getIfExists();
        if (slot != null) {
            slot.requests++;
        }
    }

    /** One loop's counts: written by that loop only, read by scrapes. */
    private static final class Slot {
        volatile long connections;
        volatile long requests;
    }
}
