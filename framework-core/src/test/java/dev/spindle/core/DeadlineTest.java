package dev.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    @Test
    void capsATimeoutToTheTimeLeft() {
        Deadline deadline = Deadline.in(Duration.ofHours(1));

        assertThat(deadline.cap(Duration.ofHours(2))).isLessThanOrEqualTo(Duration.ofHours(1))
                .isGreaterThan(Duration.ofMinutes(59));
        assertThat(deadline.cap(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void aPassedDeadlineHasNoTimeLeft() {
        Deadline passed = Deadline.atNanoTime(System.nanoTime() - 1);

        assertThat(passed.isExpired()).isTrue();
        assertThat(passed.remaining()).isZero();
        assertThat(passed.cap(Duration.ofSeconds(1))).isZero();
    }

    @Test
    void noDeadlineNeverExpires() {
        assertThat(Deadline.none().isExpired()).isFalse();
        assertThat(Deadline.none().cap(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }
}
