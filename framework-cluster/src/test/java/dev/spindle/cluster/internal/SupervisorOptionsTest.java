package dev.spindle.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The restart backoff doubles with each death before readiness, up to its cap. */
class SupervisorOptionsTest {

    private final SupervisorOptions options = new SupervisorOptions(2, Duration.ofMillis(500), Duration.ofSeconds(30), 5,
            Duration.ofSeconds(60), Duration.ofSeconds(45));

    @Test
    void backoffDoublesFromTheFirstWaitToTheCap() {
        assertThat(options.backoffAfter(0)).as("a crash after readiness").hasMillis(500);
        assertThat(options.backoffAfter(1)).hasMillis(500);
        assertThat(options.backoffAfter(2)).hasMillis(1000);
        assertThat(options.backoffAfter(4)).hasMillis(4000);
        assertThat(options.backoffAfter(7)).hasSeconds(30);
        assertThat(options.backoffAfter(500)).as("no overflow").hasSeconds(30);
    }
}
