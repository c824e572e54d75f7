package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Deadline;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What every {@link RateLimiter} does; each implementation's test extends this. */
abstract class RateLimiterContract {

    protected final MutableClock clock = new MutableClock();

    protected abstract RateLimiter limiter(Rate rate);

    private static RateLimiter.Decision take(RateLimiter limiter, String key) {
        return limiter.acquire(key, Deadline.in(Duration.ofSeconds(5))).toCompletableFuture().join();
    }

    @Test
    void allowsABurstUpToTheLimitThenSaysWhenToRetry() {
        RateLimiter limiter = limiter(Rate.of("burst", 3, Duration.ofMinutes(1)));

        assertThat(take(limiter, "ada").remaining()).isEqualTo(2);
        assertThat(take(limiter, "ada").remaining()).isEqualTo(1);
        RateLimiter.Decision last = take(limiter, "ada");
        RateLimiter.Decision refused = take(limiter, "ada");

        assertThat(last.allowed()).isTrue();
        assertThat(last.remaining()).isZero();
        assertThat(last.reset()).isEqualTo(Duration.ofMinutes(1));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void refillsOneRequestPerIntervalAndFullyAfterThePeriod() {
        RateLimiter limiter = limiter(Rate.of("refill", 3, Duration.ofMinutes(1)));
        for (int i = 0; i < 3; i++) {
            take(limiter, "ada");
        }

        clock.advance(Duration.ofSeconds(19));
        assertThat(take(limiter, "ada").retryAfter()).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(take(limiter, "ada").allowed()).isTrue();
        assertThat(take(limiter, "ada").allowed()).isFalse();

        clock.advance(Duration.ofMinutes(5));
        assertThat(take(limiter, "ada").remaining()).isEqualTo(2);
    }

    @Test
    void keysAreCountedApart() {
        RateLimiter limiter = limiter(Rate.of("apart", 1, Duration.ofHours(1)));

        assertThat(take(limiter, "ada").allowed()).isTrue();
        assertThat(take(limiter, "ada").allowed()).isFalse();
        assertThat(take(limiter, "grace").allowed()).isTrue();
    }

    @Test
    void highRatesWithSubMillisecondIntervalsStillCount() {
        RateLimiter limiter = limiter(Rate.of("fast", 1000, Duration.ofMillis(100)));
        int allowed = 0;
        for (int i = 0; i < 1010; i++) {
            allowed += take(limiter, "ada").allowed() ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(1000);
    }
}
