package dev.spindle.http.internal;

import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The count of requests in flight, kept as one counter per event loop: each loop only ever
 * writes its own slot (a plain increment published with a release store, no atomic instruction,
 * no shared cache line), and readers add the slots up. Read on every request by the overload
 * gate, so the sum stays a short loop over a few longs.
 */
final class ActiveRequests {

    private final FastThreadLocal<Slot> own = new FastThreadLocal<>() {
        @Override
        protected Slot initialValue() {
            return register();
        }
    };
    private volatile Slot[] slots = new Slot[0];

    void increment() {
        own.get().add(1);
    }

    void decrement() {
        own.get().add(-1);
    }

    long sum() {
        long sum = 0;
        for (Slot slot : slots) {
            sum += slot.get();
        }
        return sum;
    }

    private synchronized Slot register() {
        Slot slot = new Slot();
        Slot[] more = Arrays.copyOf(slots, slots.length + 1);
        more[slots.length] = slot;
        slots = more;
        return slot;
    }

    /** One thread's count, padded so that (with HotSpot's field layout) two loops' slots do not share a cache line. */
    private static final class Slot {

        private static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(Slot.class, "value", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused")
        private long p1;
        @SuppressWarnings("unused")
        private long p2;
        @SuppressWarnings("unused")
        private long p3;
        @SuppressWarnings("unused")
        private long p4;
        @SuppressWarnings("unused")
        private long p5;
        @SuppressWarnings("unused")
        private long p6;
        @SuppressWarnings("unused")
        private long p7;
        private long value;
        @SuppressWarnings("unused")
        private long q1;
        @SuppressWarnings("unused")
        private long q2;
        @SuppressWarnings("unused")
        private long q3;
        @SuppressWarnings("unused")
        private long q4;
        @SuppressWarnings("unused")
        private long q5;
        @SuppressWarnings("unused")
        private long q6;
        @SuppressWarnings("unused")
        private long q7;

        void add(long delta) {
            VALUE.setRelease(this, value + delta);
        }

        long get() {
            return (long) VALUE.getAcquire(this);
        }
    }
}
