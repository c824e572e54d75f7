package dev.spindle.state.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Micrometer's cache meters ({@code cache.gets}, {@code cache.puts}, {@code cache.evictions},
 * {@code cache.size}) plus {@code cache.load{result}} and {@code cache.load.duration}, the names
 * Micrometer's own Caffeine binder uses.
 */
final class CacheMetrics extends CacheMeterBinder<CacheBackend> {

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder loadSuccesses = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder undecodable = new LongAdder();
    private volatile Timer loadTime;

    CacheMetrics(CacheBackend backend, String name, MeterRegistry registry) {
        super(backend, name, Tags.empty());
        bindTo(registry);
    }

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    void put() {
        puts.increment();
    }

    void undecodable() {
        undecodable.increment();
    }

    void loaded(boolean success, long nanos) {
        (success ? loadSuccesses : loadFailures).increment();
        Timer timer = loadTime;
        if (timer != null) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    protected Long size() {
        return getCache().size();
    }

    @Override
    protected long hitCount() {
        return hits.sum();
    }

    @Override
    protected Long missCount() {
        return misses.sum();
    }

    @Override
    protected Long evictionCount() {
        return getCache().evictions();
    }

    @Override
    protected long putCount() {
        return puts.sum();
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        FunctionCounter.builder("cache.load", loadSuccesses, LongAdder::sum).tags(getTagsWithCacheName())
                .tag("result", "success").description("Loads that produced a value or an absence").register(registry);
        FunctionCounter.builder("cache.load", loadFailures, LongAdder::sum).tags(getTagsWithCacheName())
                .tag("result", "failure").description("Loads that failed").register(registry);
        FunctionCounter.builder("cache.undecodable", undecodable, LongAdder::sum).tags(getTagsWithCacheName())
                .description("Entries that could not be read as the cache's type (counted as misses)")
                .register(registry);
        loadTime = Timer.builder("cache.load.duration").tags(getTagsWithCacheName())
                .description("Time spent in loaders").register(registry);
    }
}
