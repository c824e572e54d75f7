package dev.spindle.state;

import dev.spindle.state.internal.SystemClock;
import java.time.Duration;
import java.time.Instant;

/**
 * The time framework-state reads and waits on: cache freshness, load bounds and lease renewal,
 * session idle and absolute expiry. Production uses {@link #system()}; a test of expiry passes a
 * clock it moves by hand ({@link CacheOptions.Builder#clock}, {@link SessionOptions.Builder#clock}),
 * so nothing depends on short real timeouts on a busy machine.
 *
 * <p>Redis and Caffeine still expire entries on their own clocks, as a backstop set to the same TTL;
 * freshness and session expiry are always decided by this clock.
 */
public interface StateClock {

    /** The system clock, with timers on one shared daemon thread (Netty's wheel timer, ~10 ms resolution). */
    static StateClock system() {
        return SystemClock.INSTANCE;
    }

    /** Wall-clock milliseconds since the epoch (stored timestamps). */
    long millis();

    /** Monotonic nanoseconds, for ages and intervals; only differences mean anything. */
    long nanoTime();

    /** Runs {@code task} once, {@code delay} from now; it must not block. */
    Timer schedule(Runnable task, Duration delay);

    /** Wall-clock now. */
    default Instant now() {
        return Instant.ofEpochMilli(millis());
    }

    /** A scheduled task. */
    @FunctionalInterface
    interface Timer {
        /** Cancels the task if it has not run yet. */
        void cancel();
    }
}
