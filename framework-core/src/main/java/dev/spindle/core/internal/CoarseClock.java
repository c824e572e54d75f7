package dev.spindle.core.internal;

import io.micrometer.core.instrument.Clock;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer's clock with a wall time that one daemon thread refreshes every 100 ms, and an exact
 * monotonic time. Micrometer reads the wall clock on every timer and distribution record only to
 * rotate its max and histogram windows, which last tens of seconds; on a virtual machine where
 * one read costs about 25 ns, the two reads were 60 % of what recording a request's timer cost
 * (100 ns against 38 ns, {@code bench/RESULTS.md}, issue 8). Durations still come from
 * {@link System#nanoTime()}.
 */
public final class CoarseClock implements Clock {

    /** One ticker for the whole process. */
    public static final CoarseClock INSTANCE = new CoarseClock();

    private static final long PERIOD_MILLIS = 100;

    private volatile long wallTime = System.currentTimeMillis();

    private CoarseClock() {
        ScheduledThreadPoolExecutor ticker = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "spindle-coarse-clock");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> wallTime = System.currentTimeMillis(), PERIOD_MILLIS, PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public long wallTime() {
        return wallTime;
    }

    @Override
    public long monotonicTime() {
        return System.nanoTime();
    }
}
