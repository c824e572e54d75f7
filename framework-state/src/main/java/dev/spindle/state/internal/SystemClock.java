package dev.spindle.state.internal;

import dev.spindle.state.StateClock;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@link StateClock#system()}: {@link System} time, timers on one wheel shared by every cache and
 * session of the process (scheduling is lock-free, so it is safe on an event loop).
 */
public final class SystemClock implements StateClock {

    /** The one instance. */
    public static final SystemClock INSTANCE = new SystemClock();

    private final HashedWheelTimer wheel = new HashedWheelTimer(new DefaultThreadFactory("spindle-state-timer", true),
            10, TimeUnit.MILLISECONDS);

    private SystemClock() {}

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(Runnable task, Duration delay) {
        Timeout timeout = wheel.newTimeout(t -> task.run(), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return timeout::cancel;
    }
}
