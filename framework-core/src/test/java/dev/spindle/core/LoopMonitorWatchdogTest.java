package dev.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The blocked-loop watchdog tells a pause of the whole process from a loop that is really stuck. */
class LoopMonitorWatchdogTest {

    private static final Duration THRESHOLD = Duration.ofMillis(100);

    /** The monitor's clock: real time plus whatever pause the test simulates. */
    private final AtomicLong pausedNanos = new AtomicLong();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventLoops loops = EventLoops.create(Config.builder().set(CoreSettings.EVENT_LOOPS, "2")
            .set(CoreSettings.TRANSPORT, "nio").build());
    private final LoopMonitor monitor = LoopMonitor.start(loops, registry,
            new LoopMonitor.Options(Duration.ofMillis(10), THRESHOLD, Duration.ZERO),
            () -> System.nanoTime() + pausedNanos.get());

    @AfterEach
    void stop() {
        monitor.close();
        loops.shutdown(Duration.ofSeconds(2));
    }

    private double blocked(int loop) {
        return registry.get("spindle.eventloop.blocked").tag("loop", String.valueOf(loop)).counter().count();
    }

    private long probes(int loop) {
        return registry.get("spindle.eventloop.lag").tag("loop", String.valueOf(loop)).timer().count();
    }

    private double overslept() {
        return registry.get("spindle.eventloop.watchdog.overslept").counter().count();
    }

    /** Every thread of the process stops for 10 s at once, as in a long GC pause: the clock jumps. */
    private void pauseTheWholeProcess() {
        await().until(() -> monitor.rounds() >= 3);
        double before = overslept(); // a busy machine can make the watchdog oversleep for real too
        pausedNanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
        await().until(() -> overslept() > before);
    }

    // After a long GC pause the watchdog reported every loop blocked, though none was.
    @Test
    void aPauseOfTheWholeProcessIsNotReportedAsBlockedLoops() {
        pauseTheWholeProcess();
        long probed0 = probes(0);
        long probed1 = probes(1);
        long rounds = monitor.rounds();

        await().until(() -> probes(0) > probed0 + 2 && probes(1) > probed1 + 2 && monitor.rounds() > rounds + 4);

        assertThat(blocked(0)).isZero();
        assertThat(blocked(1)).isZero();
        assertThat(overslept()).isPositive();
    }

    @Test
    void aLoopStillStuckAfterThePauseIsReported() {
        pauseTheWholeProcess();
        EventLoop stuck = loops.loops().get(0);
        long spinUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);

        stuck.submit(() -> {
            // CPU-bound, not blocking (BlockHound counts even Thread.onSpinWait): what the watchdog exists to catch.
            long spins = 0;
            while (blocked(0) == 0 && System.nanoTime() < spinUntil) {
                spins++;
            }
            return spins;
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> blocked(0) == 1);
        assertThat(blocked(1)).isZero();
    }
}
