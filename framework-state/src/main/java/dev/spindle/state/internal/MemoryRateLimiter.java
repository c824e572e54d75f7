package dev.spindle.state.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.spindle.core.Deadline;
import dev.spindle.state.Rate;
import dev.spindle.state.RateLimiter;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The in-process twin of {@link RedisRateLimiter}: one TAT per key in a bounded Caffeine map whose
 * entries expire when their key is back to a full allowance (on the same clock), so idle keys cost nothing.
 */
public final class MemoryRateLimiter implements RateLimiter {

    private final Rate rate;
    private final Clock clock;
    private final Cache<String, Long> tats;

    public MemoryRateLimiter(Rate rate, Clock clock, int maxKeys) {
        this.rate = rate;
        this.clock = clock;
        this.tats = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .ticker(() -> Gcra.nowMicros(clock) * 1000)
                .expireAfter(new Expiry<String, Long>() {
                    @Override
                    public long expireAfterCreate(String key, Long tat, long currentTime) {
                        return Math.max(0, tat * 1000 - currentTime);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Long tat, long currentTime, long currentDuration) {
                        return Math.max(0, tat * 1000 - currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, Long tat, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Rate rate() {
        return rate;
    }

    @Override
    public CompletionStage<Decision> acquire(String key, Deadline deadline) {
        long now = Gcra.nowMicros(clock);
        Decision[] decision = new Decision[1];
        tats.asMap().compute(key, (k, stored) -> {
            Gcra.Step step = Gcra.step(rate, stored, now);
            decision[0] = step.decision();
            return step.decision().allowed() ? Long.valueOf(step.tat()) : stored;
        });
        return CompletableFuture.completedFuture(decision[0]);
    }
}
