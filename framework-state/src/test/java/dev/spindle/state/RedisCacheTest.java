package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.test.redis.RedisExtension;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisCacheTest extends CacheContract {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private static RedisConnection connection;

    @BeforeAll
    static void connect() {
        connection = Fixtures.connect(redis.url());
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Override
    protected <V> Cache<V> cache(CacheOptions<V> options, MeterRegistry registry) {
        return Cache.redis(connection, options, registry);
    }

    private static <V> CacheOptions.Builder<V> options(String name, Class<V> type) {
        return CacheOptions.builder(name + UUID.randomUUID().toString().substring(0, 8), type);
    }

    private static List<String> keys(String pattern) {
        return connection.call(c -> c.scan(ScanArgs.Builder.matches(connection.key(pattern)).limit(10_000)))
                .toCompletableFuture().join().getKeys();
    }

    private static long calls(String command) {
        String stats = connection.call(c -> c.info("commandstats")).toCompletableFuture().join();
        return stats.lines().filter(line -> line.startsWith("cmdstat_" + command + ":")).findFirst()
                .map(line -> Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')))).orElse(0L);
    }

    // Regression: every hit ran a Lua script (and drew 256 random bits for a lease token).
    @Test
    void aHitIsOneGetAndRunsNoScript() {
        Cache<String> cache = cache(options("hits", String.class).build(), new SimpleMeterRegistry());
        cache.getOrLoad("k", () -> CompletableFuture.completedFuture("v"), Duration.ofMinutes(5))
                .toCompletableFuture().join();
        long scripts = calls("evalsha") + calls("eval");
        long gets = calls("get");
        for (int i = 0; i < 50; i++) {
            assertThat(cache.getOrLoad("k", CompletableFuture::new, Duration.ofMinutes(5)).toCompletableFuture().join())
                    .isEqualTo("v");
        }
        assertThat(calls("evalsha") + calls("eval")).isEqualTo(scripts);
        assertThat(calls("get") - gets).isGreaterThanOrEqualTo(50);
    }

    // Regression: a key holding braces gave its entry and its lease different hash slots (CROSSSLOT on Cluster).
    @Test
    void anEntryAndItsLeaseShareAClusterSlotWhateverTheKey() {
        String name = "slots" + UUID.randomUUID().toString().substring(0, 8);
        Cache<String> cache = cache(CacheOptions.<String>builder(name, String.class).build(), new SimpleMeterRegistry());
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> loading = cache.getOrLoad("}{a}", () -> source, Duration.ofMinutes(1))
                .toCompletableFuture();
        await().atMost(Duration.ofSeconds(5)).until(() -> keys("cache:" + name + ":*").size() == 1); // the lease
        source.complete("v");
        loading.join();
        List<String> stored = keys("cache:" + name + ":*");
        assertThat(stored).hasSize(1);
        String entry = stored.get(0);
        assertThat(entry).endsWith("}{a}");
        String lease = entry.replace(":v1:{", ":v1:lease:{");
        assertThat(SlotHash.getSlot(lease)).isEqualTo(SlotHash.getSlot(entry));
    }

    // Regression: the lease was never renewed, so a loader slower than it made every instance load.
    @Test
    void theLeaseIsRenewedWhileTheLoaderRuns() throws Exception {
        String name = "renew" + UUID.randomUUID().toString().substring(0, 8);
        CacheOptions<String> options = CacheOptions.builder(name, String.class).clock(clock)
                .leaseTime(Duration.ofSeconds(60)).loadTimeout(Duration.ofMinutes(10)).build();
        Cache<String> one = cache(options, new SimpleMeterRegistry());
        CompletableFuture<String> source = new CompletableFuture<>();
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<String> first = one.getOrLoad("k", () -> {
            loads.incrementAndGet();
            return source;
        }, Duration.ofMinutes(1)).toCompletableFuture();
        await().atMost(Duration.ofSeconds(5)).untilAtomic(loads, org.hamcrest.Matchers.equalTo(1));
        String lease = keys("cache:" + name + ":v1:lease:*").get(0);
        connection.call(c -> c.pexpire(lease, 1000)).toCompletableFuture().join(); // as if the lease were running out
        clock.advance(Duration.ofSeconds(20)); // a third of the lease: time to renew
        await().atMost(Duration.ofSeconds(5)).until(() ->
                connection.call(c -> c.pttl(lease)).toCompletableFuture().join() > 30_000);
        try (RedisConnection other = Fixtures.connect(redis.url(), connection.options().keyPrefix())) {
            Cache<String> two = Cache.redis(other, options, new SimpleMeterRegistry());
            CompletableFuture<String> second = two.getOrLoad("k", () -> {
                loads.incrementAndGet();
                return CompletableFuture.completedFuture("second");
            }, Duration.ofMinutes(1)).toCompletableFuture();
            source.complete("first");
            // The second instance polls for the value on the cache's clock: move it on until it looks.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                clock.advance(Duration.ofMillis(200));
                return first.isDone() && second.isDone();
            });
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(loads).hasValue(1);
        }
    }

    /** A product as a new release shapes it. */
    record Price(String sku, long cents) {}

    // Regression: a value written by another version of a class (a rolling deploy) failed the request.
    @Test
    void aValueThatNoLongerReadsAsTheTypeIsAMissAndIsReloaded() {
        String name = "deploy" + UUID.randomUUID().toString().substring(0, 8);
        Cache<String> old = cache(CacheOptions.builder(name, String.class).build(), new SimpleMeterRegistry());
        old.put("A1", "twelve ninety-nine", Duration.ofMinutes(5)).toCompletableFuture().join();
        MeterRegistry registry = new SimpleMeterRegistry();
        Cache<Price> current = cache(CacheOptions.builder(name, Price.class).build(), registry);
        assertThat(current.get("A1").toCompletableFuture().join()).isEmpty();
        assertThat(current.getOrLoad("A1", () -> CompletableFuture.completedFuture(new Price("A1", 1299)),
                Duration.ofMinutes(5)).toCompletableFuture().join()).isEqualTo(new Price("A1", 1299));
        assertThat(current.get("A1").toCompletableFuture().join()).contains(new Price("A1", 1299));
        assertThat(registry.get("cache.undecodable").functionCounter().count()).isGreaterThanOrEqualTo(2);
        Cache<String> versioned = cache(CacheOptions.builder(name, String.class).version(2).build(),
                new SimpleMeterRegistry());
        assertThat(versioned.get("A1").toCompletableFuture().join()).isEmpty(); // another schema version: unseen
    }
}
