package dev.spindle.state;

import dev.spindle.http.Context;
import dev.spindle.state.internal.CaffeineCacheBackend;
import dev.spindle.state.internal.DefaultCache;
import dev.spindle.state.internal.LettuceConnection;
import dev.spindle.state.internal.RedisCacheBackend;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A cache of JSON-serialised values with per-entry TTL, on Redis or in memory (Caffeine).
 *
 * <p>{@link #getOrLoad} protects the source from stampedes: concurrent misses for one key run
 * the loader once per instance, and on Redis once across all instances (a short lease in Redis;
 * the others wait for the value, or serve a stale one during the stale-while-revalidate window).
 * Metrics follow Micrometer's cache conventions ({@code cache.gets{result=hit|miss}},
 * {@code cache.puts}, {@code cache.evictions}, {@code cache.load}, {@code cache.load.duration}),
 * tagged with the cache name.
 *
 * <pre>{@code
 * Cache<Product> products = state.cache("products", Product.class);
 * app.get("/products/{id}", ctx -> products.forRequest(ctx)
 *         .getOrLoad(ctx.pathParam("id"), () -> catalogue.fetch(ctx.pathParam("id")), Duration.ofMinutes(5))
 *         .thenApply(Response::json));
 * }</pre>
 *
 * @param <V> the value type
 */
public interface Cache<V> {

    /** A Redis cache; keys are {@code <prefix>cache:<name>:{<key>}}, so a key and its lease share a cluster slot. */
    static <V> Cache<V> redis(RedisConnection redis, CacheOptions<V> options, MeterRegistry registry) {
        LettuceConnection connection = (LettuceConnection) redis;
        return new DefaultCache<>(options, new RedisCacheBackend(connection, options.name()), registry,
                connection::schedule);
    }

    /** An in-memory cache on Caffeine, bounded by {@link CacheOptions#maxSize()}. */
    static <V> Cache<V> inMemory(CacheOptions<V> options, MeterRegistry registry) {
        return new DefaultCache<>(options, new CaffeineCacheBackend(options.maxSize()), registry,
                DefaultCache::delay);
    }

    /** The cache's name. */
    String name();

    /** The value if present and fresh. */
    CompletionStage<Optional<V>> get(String key);

    /** Stores {@code value} for {@code ttl} (positive). */
    CompletionStage<Void> put(String key, V value, Duration ttl);

    /** Removes the key. */
    CompletionStage<Void> delete(String key);

    /**
     * The value for {@code key}, loading it with {@code loader} on a miss and caching it for
     * {@code ttl}. The loader runs once for concurrent misses (per instance, and across instances
     * on Redis); a loader that fails caches nothing and fails every waiting caller.
     */
    CompletionStage<V> getOrLoad(String key, Supplier<? extends CompletionStage<V>> loader, Duration ttl);

    /**
     * As {@link #getOrLoad}, for a loader that may find nothing: an empty result is cached for
     * {@link CacheOptions#negativeTtl()} when set, and not at all otherwise.
     */
    CompletionStage<Optional<V>> getOrLoadOptional(String key, Supplier<? extends CompletionStage<Optional<V>>> loader,
                                                   Duration ttl);

    /**
     * This cache as seen from one request: Redis calls bounded by the request's deadline, and
     * stages that complete on the request's event loop.
     */
    Cache<V> forRequest(Context ctx);
}
