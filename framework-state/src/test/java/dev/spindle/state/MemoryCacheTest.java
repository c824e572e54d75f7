package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryCacheTest extends CacheContract {

    @Override
    protected <V> Cache<V> cache(CacheOptions<V> options, MeterRegistry registry) {
        return Cache.inMemory(options, registry);
    }

    @Test
    void evictsBeyondItsSizeAndCountsEvictions() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Cache<String> cache = Cache.inMemory(CacheOptions.builder("small", String.class).maxSize(10).build(), registry);
        for (int i = 0; i < 100; i++) {
            cache.put("k" + i, "v", Duration.ofMinutes(1));
        }
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(registry.get("cache.evictions").tag("cache", "small").functionCounter().count())
                        .isGreaterThanOrEqualTo(90));
    }
}
