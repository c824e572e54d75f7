package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two instances (two connections, two caches of one name) sharing one Redis. */
class RedisCacheAcrossInstancesTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private RedisConnection first;
    private RedisConnection second;

    @BeforeEach
    void connect() {
        String prefix = Fixtures.uniquePrefix();
        first = Fixtures.connect(redis.url(), prefix);
        second = Fixtures.connect(redis.url(), prefix);
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
    }

    private static Cache<String> cache(RedisConnection connection) {
        return Cache.redis(connection, CacheOptions.builder("shared", String.class).build(), new SimpleMeterRegistry());
    }

    @Test
    void concurrentMissesOnTwoInstancesRunTheLoaderOnce() {
        Cache<String> one = cache(first);
        Cache<String> two = cache(second);
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<String> source = new CompletableFuture<>();
        Supplier<CompletionStage<String>> loader = () -> {
            loads.incrementAndGet();
            return source;
        };
        List<CompletableFuture<String>> callers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            callers.add(one.getOrLoad("hot", loader, Duration.ofMinutes(1)).toCompletableFuture());
            callers.add(two.getOrLoad("hot", loader, Duration.ofMinutes(1)).toCompletableFuture());
        }
        await().atMost(Duration.ofSeconds(5)).untilAtomic(loads, org.hamcrest.Matchers.equalTo(1));
        source.complete("value");
        assertThat(callers).allSatisfy(caller -> assertThat(caller.join()).isEqualTo("value"));
        assertThat(loads).hasValue(1);
    }

    @Test
    void aValueLoadedOnOneInstanceIsAHitOnTheOther() {
        Cache<String> one = cache(first);
        Cache<String> two = cache(second);
        one.getOrLoad("k", () -> CompletableFuture.completedFuture("v"), Duration.ofMinutes(1)).toCompletableFuture()
                .join();
        AtomicInteger loads = new AtomicInteger();
        assertThat(two.getOrLoad("k", () -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture("other");
        }, Duration.ofMinutes(1)).toCompletableFuture().join()).isEqualTo("v");
        assertThat(loads).hasValue(0);
    }

    @Test
    void aLoaderThatFailsOnOneInstanceLetsTheOtherLoad() {
        Cache<String> one = cache(first);
        Cache<String> two = cache(second);
        CompletableFuture<String> failing = new CompletableFuture<>();
        AtomicBoolean firstLoading = new AtomicBoolean();
        CompletableFuture<String> firstCaller = one.getOrLoad("k", () -> {
            firstLoading.set(true);
            return failing;
        }, Duration.ofMinutes(1)).toCompletableFuture();
        // Regression (flaky before): instance two could win the lease first, and then one never failed.
        await().untilTrue(firstLoading);
        AtomicInteger secondLoads = new AtomicInteger();
        CompletableFuture<String> secondCaller = two.getOrLoad("k", () -> {
            secondLoads.incrementAndGet();
            return CompletableFuture.completedFuture("from two");
        }, Duration.ofMinutes(1)).toCompletableFuture();
        failing.completeExceptionally(new IllegalStateException("source down"));
        assertThat(secondCaller.join()).isEqualTo("from two");
        assertThat(firstCaller).failsWithin(Duration.ofSeconds(5));
        assertThat(secondLoads).hasValue(1);
    }
}
