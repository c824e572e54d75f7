package dev.spindle.http.internal.listen;

import dev.spindle.core.EventLoops;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connections accepted and requests started per event loop ({@code spindle.http.loop.connections},
 * {@code spindle.http.loop.requests}, tag {@code loop} as the loop monitor numbers loops): how
 * evenly the kernel or the acceptor spreads the work. Each loop writes only its own slot (one
 * writer, so no atomic add), found through a fast thread-local bound when the server starts.
 */
public final class LoopCounters implements AutoCloseable {

    private static final FastThreadLocal<Slot> CURRENT = new FastThreadLocal<>();

    private final List<Slot> slots;
    private final List<Meter> meters = new ArrayList<>();
    private final MeterRegistry registry;

    private LoopCounters(EventLoops loops, MeterRegistry registry) {
        this.registry = registry;
        List<Slot> all = new ArrayList<>();
        int index = 0;
        for (EventLoop loop : loops.loops()) {
            Slot slot = new Slot(String.valueOf(index++));
            all.add(slot);
            meters.add(FunctionCounter.builder("spindle.http.loop.connections", slot, s -> s.connections)
                    .tag("loop", slot.name)
                    .description("Connections accepted by this event loop")
                    .register(registry));
            meters.add(FunctionCounter.builder("spindle.http.loop.requests", slot, s -> s.requests)
                    .tag("loop", slot.name)
                    .description("Requests started on this event loop")
                    .register(registry));
            loop.submit(() -> CURRENT.set(slot)).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        this.slots = List.copyOf(all);
    }

    /** Registers the counters and binds one slot to each loop thread. */
    public static LoopCounters register(EventLoops loops, MeterRegistry registry) {
        return new LoopCounters(loops, registry);
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

    /** Connections accepted so far, per loop in loop order. */
    public List<Long> connections() {
        return slots.stream().map(slot -> slot.connections).toList();
    }

    /** Requests started so far, per loop in loop order. */
    public List<Long> requests() {
        return slots.stream().map(slot -> slot.requests).toList();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }

    /** One loop's counts: written by that loop only, read by scrapes. */
    private static final class Slot {
        final String name;
        volatile long connections;
        volatile long requests;

        Slot(String name) {
            this.name = name;
        }
    }
}
