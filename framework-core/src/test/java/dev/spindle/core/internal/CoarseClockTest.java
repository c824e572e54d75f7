package dev.spindle.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.core.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The registry's wall clock is read from a field, and that field keeps up with the real clock. */
class CoarseClockTest {

    @Test
    void theWallTimeFollowsTheSystemClock() {
        long before = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).until(() -> CoarseClock.INSTANCE.wallTime() > before);
        long wallTime = CoarseClock.INSTANCE.wallTime();
        // A reading of the real clock taken earlier: never ahead of it.
        assertThat(wallTime).isGreaterThan(before).isLessThanOrEqualTo(System.currentTimeMillis());
    }

    @Test
    void theMonotonicTimeIsExact() {
        long nanoTime = System.nanoTime();
        assertThat(CoarseClock.INSTANCE.monotonicTime()).isGreaterThanOrEqualTo(nanoTime);
    }

    @Test
    void theRegistryRecordsWithIt() {
        try (Metrics metrics = Metrics.prometheus()) {
            Timer timer = Timer.builder("coarse.test").register(metrics.registry());
            timer.record(7, TimeUnit.MILLISECONDS);
            assertThat(timer.count()).isEqualTo(1);
            assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(7.0);
            assertThat(metrics.registry().config().clock()).isSameAs(CoarseClock.INSTANCE);
        }
    }
}
