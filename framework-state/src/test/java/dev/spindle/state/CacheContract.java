package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The compatibility kit every {@link Cache} passes: Redis and in-memory alike. */
abstract class CacheContract {

    /** A cache with these options, reporting to {@code registry}. */
    protected abstract <V> Cache<V> cache(CacheOptions<V> options, MeterRegistry registry);

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private Cache<String> strings() {
        return cache(CacheOptions.builder("c" + UUID.randomUUID().toString().substring(0, 8), String.class).build(),
                registry);
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    /** A value with several fields, to see JSON round trips. */
    record Product(String sku, int cents, List<String> tags) {}

    @Test
    void returnsWhatWasPut() {
        Cache<Product> products = cache(CacheOptions.builder("products" + UUID.randomUUID().toString().substring(0, 6),
                Product.class).build(), registry);
        Product product = new Product("A1", 1299, List.of("new", "red"));
        join(products.put("A1", product, Duration.ofMinutes(1)));
        assertThat(join(products.get("A1"))).contains(product);
        assertThat(join(products.get("B2"))).isEmpty();
    }

    @Test
    void deleteRemovesTheKey() {
        Cache<String> cache = strings();
        join(cache.put("k", "v", Duration.ofMinutes(1)));
        join(cache.delete("k"));
        assertThat(join(cache.get("k"))).isEmpty();
    }

    @Test
    void entriesExpireAfterTheirTtl() {
        Cache<String> cache = strings();
        join(cache.put("k", "v", Duration.ofMillis(200)));
        await().atMost(Duration.ofSeconds(5)).until(() -> join(cache.get("k")).isEmpty());
    }

    @Test
    void keysAreNamespacedPerCache() {
        Cache<String> one = strings();
        Cache<String> two = strings();
        join(one.put("k", "one", Duration.ofMinutes(1)));
        assertThat(join(two.get("k"))).isEmpty();
    }

    @Test
    void getOrLoadCachesTheLoadedValue() {
        Cache<String> cache = strings();
        AtomicInteger loads = new AtomicInteger();
        assertThat(join(cache.getOrLoad("k", () -> CompletableFuture.completedFuture("v" + loads.incrementAndGet()),
                Duration.ofMinutes(1)))).isEqualTo("v1");
        assertThat(join(cache.getOrLoad("k", () -> CompletableFuture.completedFuture("v" + loads.incrementAndGet()),
                Duration.ofMinutes(1)))).isEqualTo("v1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void concurrentMissesRunTheLoaderOnce() {
        Cache<String> cache = strings();
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<String> source = new CompletableFuture<>();
        List<CompletableFuture<String>> callers = IntStream.range(0, 20)
                .mapToObj(i -> cache.getOrLoad("hot", () -> {
                    loads.incrementAndGet();
                    return source;
                }, Duration.ofMinutes(1)).toCompletableFuture())
                .toList();
        await().atMost(Duration.ofSeconds(5)).untilAtomic(loads, org.hamcrest.Matchers.equalTo(1));
        source.complete("value");
        assertThat(callers).allSatisfy(caller -> assertThat(caller.join()).isEqualTo("value"));
        assertThat(loads).hasValue(1);
    }

    @Test
    void aFailedLoadFailsItsCallersAndCachesNothing() {
        Cache<String> cache = strings();
        CompletionStage<String> failed = cache.getOrLoad("k",
                () -> CompletableFuture.failedFuture(new IllegalStateException("source down")), Duration.ofMinutes(1));
        assertThatThrownBy(() -> join(failed)).hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(join(cache.getOrLoad("k", () -> CompletableFuture.completedFuture("v"), Duration.ofMinutes(1))))
                .isEqualTo("v");
    }

    @Test
    void absencesAreNotCachedUnlessAsked() {
        Cache<String> cache = strings();
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertThat(join(cache.getOrLoadOptional("k", () -> {
                loads.incrementAndGet();
                return CompletableFuture.completedFuture(Optional.empty());
            }, Duration.ofMinutes(1)))).isEmpty();
        }
        assertThat(loads).hasValue(2);
    }

    @Test
    void negativeCachingRemembersAbsencesForItsTtl() {
        Cache<String> cache = cache(CacheOptions.builder("neg" + UUID.randomUUID().toString().substring(0, 6),
                String.class).negativeTtl(Duration.ofMillis(300)).build(), registry);
        AtomicInteger loads = new AtomicInteger();
        java.util.function.Supplier<CompletionStage<Optional<String>>> loader = () -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture(Optional.empty());
        };
        assertThat(join(cache.getOrLoadOptional("k", loader, Duration.ofMinutes(1)))).isEmpty();
        assertThat(join(cache.getOrLoadOptional("k", loader, Duration.ofMinutes(1)))).isEmpty();
        assertThat(loads).hasValue(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            join(cache.getOrLoadOptional("k", loader, Duration.ofMinutes(1)));
            return loads.get() == 2;
        });
    }

    @Test
    void staleWhileRevalidateServesTheStaleValueAndRefreshesOnce() {
        Cache<String> cache = cache(CacheOptions.builder("swr" + UUID.randomUUID().toString().substring(0, 6),
                String.class).staleWhileRevalidate(Duration.ofMinutes(1)).build(), registry);
        AtomicInteger loads = new AtomicInteger();
        java.util.function.Supplier<CompletionStage<String>> loader =
                () -> CompletableFuture.completedFuture("v" + loads.incrementAndGet());
        assertThat(join(cache.getOrLoad("k", loader, Duration.ofMillis(100)))).isEqualTo("v1");
        await().atMost(Duration.ofSeconds(5)).until(() -> join(cache.get("k")).isEmpty()); // no longer fresh
        assertThat(join(cache.getOrLoad("k", loader, Duration.ofMinutes(1)))).isEqualTo("v1"); // stale, served now
        await().atMost(Duration.ofSeconds(5)).until(() -> join(cache.get("k")).equals(Optional.of("v2")));
        assertThat(loads).hasValue(2);
    }

    @Test
    void countsHitsMissesPutsAndLoadsInMicrometersCacheMeters() {
        Cache<String> cache = strings();
        join(cache.get("k"));
        join(cache.getOrLoad("k", () -> CompletableFuture.completedFuture("v"), Duration.ofMinutes(1)));
        join(cache.get("k"));
        String name = cache.name();
        assertThat(registry.get("cache.gets").tag("cache", name).tag("result", "miss").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get("cache.gets").tag("cache", name).tag("result", "hit").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("cache.puts").tag("cache", name).functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("cache.load").tag("cache", name).tag("result", "success").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("cache.load.duration").tag("cache", name).timer().count()).isEqualTo(1);
    }

    @Test
    void refusesBadArguments() {
        Cache<String> cache = strings();
        assertThatThrownBy(() -> cache.put("k", "v", Duration.ZERO)).hasMessage("ttl: PT0S (expected: > 0)");
        assertThatThrownBy(() -> cache.get("")).hasMessageContaining("key: empty");
        assertThatThrownBy(() -> CacheOptions.builder("a:b", String.class)).hasMessageContaining("name: 'a:b'");
    }
}
