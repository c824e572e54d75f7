package dev.spindle.state;

import dev.spindle.http.Context;
import dev.spindle.state.internal.CaffeineCacheBackend;
import dev.spindle.state.internal.Callers;
import dev.spindle.state.internal.DefaultCache;
import dev.spindle.state.internal.Json;
import dev.spindle.state.internal.LettuceConnection;
import dev.spindle.state.internal.RedisCacheBackend;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * A cache of JSON-serialised values with per-entry TTL, on Redis or in memory (Caffeine).
 *
 * <p>{@link #getOrLoad} protects the source from stampedes: a hit is one read, and concurrent
 * misses run the loader once per instance and, on Redis, once across all instances (a lease in
 * Redis, renewed while the loader runs; the others wait for the value, or serve a stale one
 * during the stale-while-revalidate window). The load belongs to no caller: it is bounded by
 * {@link CacheOptions#loadTimeout()}, and a caller whose deadline passes or whose request is
 * cancelled gives up alone (the load is retried with another waiter's loader if it failed with the
 * request that started it). A value
 * that no longer reads as the type (a class changed in a rolling deploy) counts as a miss.
 * Metrics follow Micrometer's cache conventions ({@code cache.gets{result=hit|miss}},
 * {@code cache.puts}, {@code cache.evictions}, {@code cache.load}, {@code cache.load.duration}),
 * tagged with the cache name.
 *
 * <p>Threads (the module's model, see the package): through {@link #forRequest(Context)} every
 * stage completes on the request's event loop and Redis calls are bounded by its deadline; the
 * other methods are for code outside requests and complete on the calling event loop, or off the
 * loops on the offload pool. Loaders, JSON encoding and decoding run on that same thread, never on
 * Lettuce's.
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

    /**
     * A Redis cache; keys are {@code <prefix>cache:<name>:v<version>:{<hash>}<key>}, so a key and
     * its lease share a cluster slot whatever the key holds.
     */
    static <V> Cache<V> redis(RedisConnection redis, CacheOptions<V> options, MeterRegistry registry) {
        LettuceConnection connection = LettuceConnection.of(redis);
        return new DefaultCache<>(options, new RedisCacheBackend(connection, options.name(), options.version()),
                registry, connection.callers(), Json.defaults());
    }

    /**
     * An in-memory cache on Caffeine, bounded by {@link CacheOptions#maxSize()}; calls made off any
     * event loop complete on the common {@link ForkJoinPool} ({@link State} uses the offload pool).
     */
    static <V> Cache<V> inMemory(CacheOptions<V> options, MeterRegistry registry) {
        return new DefaultCache<>(options, new CaffeineCacheBackend(options.maxSize(), options.clock()), registry,
                Callers.of(ForkJoinPool.commonPool()), Json.defaults());
    }

    /** The cache's name. */
    String name();

    /** The value if present and fresh. */
    CompletionStage<Optional<V>> get(String key);

    /** The present and fresh values of {@code keys} (one round trip); keys without one are left out. */
    CompletionStage<Map<String, V>> getAll(Collection<String> keys);

    /** Stores {@code value} for {@code ttl} (positive). */
    CompletionStage<Void> put(String key, V value, Duration ttl);

    /** Removes the key. */
    CompletionStage<Void> delete(String key);

    /**
     * Removes every entry of this cache (of its schema version). On Redis it walks the keys with
     * {@code SCAN}, a page at a time, so it takes a while on a large cache but never blocks Redis.
     */
    CompletionStage<Void> invalidateAll();

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
     * This cache as seen from one request: Redis calls and waits bounded by the request's deadline,
     * and stages that complete on the request's event loop.
     */
    Cache<V> forRequest(Context ctx);
}
