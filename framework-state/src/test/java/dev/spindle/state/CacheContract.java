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
    protected final ManualClock clock = new ManualClock();

    private static String unique(String name) {
        return name + UUID.randomUUID().toString().substring(0, 8);
    }

    private Cache<String> strings() {
        return cache(CacheOptions.builder(unique("c"), String.class).clock(clock).build(), registry);
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

    // Regression: expiry was tested with 200-300 ms TTLs on the wall clock, flaky on a busy machine.
    @Test
    void entriesExpireAfterTheirTtl() {
        Cache<String> cache = strings();
        join(cache.put("k", "v", Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(join(cache.get("k"))).contains("v");
        clock.advance(Duration.ofMillis(1));
        assertThat(join(cache.get("k"))).isEmpty();
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

    // Regression: failed in one of two CI-like runs on a busy 2-core machine (a 300 ms TTL on the wall clock).
    @Test
    void negativeCachingRemembersAbsencesForItsTtl() {
        Cache<String> cache = cache(CacheOptions.builder(unique("neg"), String.class).clock(clock)
                .negativeTtl(Duration.ofSeconds(30)).build(), registry);
        AtomicInteger loads = new AtomicInteger();
        java.util.function.Supplier<CompletionStage<Optional<String>>> loader = () -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture(Optional.empty());
        };
        assertThat(join(cache.getOrLoadOptional("k", loader, Duration.ofMinutes(1)))).isEmpty();
        clock.advance(Duration.ofSeconds(29));
        assertThat(join(cache.getOrLoadOptional("k", loader, Duration.ofMinutes(1)))).isEmpty();
        assertThat(loads).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(join(cache.getOrLoadOptional("k", loader, Duration.ofMinutes(1)))).isEmpty();
        assertThat(loads).hasValue(2);
    }

    @Test
    void staleWhileRevalidateServesTheStaleValueAndRefreshesOnce() {
        Cache<String> cache = cache(CacheOptions.builder(unique("swr"), String.class).clock(clock)
                .staleWhileRevalidate(Duration.ofMinutes(1)).build(), registry);
        AtomicInteger loads = new AtomicInteger();
        java.util.function.Supplier<CompletionStage<String>> loader =
                () -> CompletableFuture.completedFuture("v" + loads.incrementAndGet());
        assertThat(join(cache.getOrLoad("k", loader, Duration.ofSeconds(10)))).isEqualTo("v1");
        clock.advance(Duration.ofSeconds(10));
        assertThat(join(cache.get("k"))).isEmpty(); // no longer fresh
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

    @Test
    void getAllReturnsThePresentFreshValuesOnly() {
        Cache<String> cache = strings();
        join(cache.put("a", "1", Duration.ofMinutes(1)));
        join(cache.put("b", "2", Duration.ofMinutes(10)));
        clock.advance(Duration.ofMinutes(2));
        assertThat(join(cache.getAll(List.of("a", "b", "c")))).containsExactly(java.util.Map.entry("b", "2"));
        assertThat(join(cache.getAll(List.of()))).isEmpty();
    }

    @Test
    void invalidateAllEmptiesThisCacheOnly() {
        Cache<String> cache = strings();
        Cache<String> other = strings();
        for (int batch = 0; batch < 12; batch++) { // more than one SCAN page
            int first = batch * 100;
            CompletableFuture.allOf(IntStream.range(first, first + 100)
                    .mapToObj(i -> cache.put("k" + i, "v", Duration.ofMinutes(1)).toCompletableFuture())
                    .toArray(CompletableFuture[]::new)).join();
        }
        join(cache.put("last", "v", Duration.ofMinutes(1)));
        join(other.put("k1", "kept", Duration.ofMinutes(1)));
        join(cache.invalidateAll());
        assertThat(join(cache.getAll(IntStream.range(0, 1200).mapToObj(i -> "k" + i).toList()))).isEmpty();
        assertThat(join(cache.get("last"))).isEmpty();
        assertThat(join(other.get("k1"))).contains("kept");
    }

    @Test
    void anyKeyWorksBracesAndColonsIncluded() {
        Cache<String> cache = strings();
        for (String key : List.of("}", "{", "a}b{c", "x:lease", "{user1000}.following")) {
            assertThat(join(cache.getOrLoad(key, () -> CompletableFuture.completedFuture("v-" + key),
                    Duration.ofMinutes(1)))).isEqualTo("v-" + key);
            assertThat(join(cache.get(key))).contains("v-" + key);
        }
    }

    // Regression: a load hung on the first caller; a loader that never completed blocked its key for good.
    @Test
    void aLoaderThatNeverCompletesFreesTheKeyAfterTheLoadTimeout() {
        Cache<String> cache = cache(CacheOptions.builder(unique("hang"), String.class).clock(clock)
                .loadTimeout(Duration.ofSeconds(10)).build(), registry);
        CompletableFuture<String> stuck = cache.getOrLoad("k", CompletableFuture::new, Duration.ofMinutes(1))
                .toCompletableFuture();
        await().atMost(Duration.ofSeconds(5)).until(() -> clock.pending() > 0); // the load is under way
        clock.advance(Duration.ofSeconds(10));
        assertThat(stuck).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .withRootCauseInstanceOf(StateUnavailableException.class).withMessageContaining("within 10000 ms");
        assertThat(join(cache.getOrLoad("k", () -> CompletableFuture.completedFuture("fresh"), Duration.ofMinutes(1))))
                .isEqualTo("fresh");
    }

    // Regression: the first caller's deadline failed every waiter and threw a good load away.
    @Test
    void aCallerOutOfTimeGivesUpAloneWhileTheLoadCompletesForTheOthers() {
        Cache<String> cache = cache(CacheOptions.builder(unique("own"), String.class).clock(clock)
                .loadTimeout(Duration.ofMinutes(1)).build(), registry);
        CompletableFuture<String> source = new CompletableFuture<>();
        AtomicInteger loads = new AtomicInteger();
        try (dev.spindle.test.TestServer server = dev.spindle.test.TestServer.start(app -> {
            State.install(app);
            app.get("/load", ctx -> cache.forRequest(ctx).getOrLoad("k", () -> {
                loads.incrementAndGet();
                return source;
            }, Duration.ofMinutes(1)).thenApply(dev.spindle.http.Response::text));
        })) {
            CompletableFuture<dev.spindle.test.TestResponse> hurried = server.client()
                    .sendAsync(server.client().request("/load").GET());
            await().atMost(Duration.ofSeconds(5)).untilAtomic(loads, org.hamcrest.Matchers.equalTo(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> clock.pending() >= 2); // the load's bound, the caller's
            clock.advance(Duration.ofSeconds(10)); // the first caller's deadline (10 s) passes on the cache's clock
            assertThat(hurried.join().status()).isEqualTo(503);
            CompletableFuture<String> patient = cache.getOrLoad("k", () -> {
                loads.incrementAndGet();
                return CompletableFuture.completedFuture("second load");
            }, Duration.ofMinutes(1)).toCompletableFuture();
            source.complete("first load");
            assertThat(patient.join()).isEqualTo("first load");
            assertThat(join(cache.get("k"))).contains("first load");
            assertThat(loads).hasValue(1);
        }
    }
}
