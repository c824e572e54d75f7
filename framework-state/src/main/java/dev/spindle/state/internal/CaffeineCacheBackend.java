package dev.spindle.state.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.spindle.state.StateClock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Entries in a Caffeine cache with per-entry expiry on the cache's clock; one process needs no
 * lease beyond single-flight.
 */
public final class CaffeineCacheBackend implements CacheBackend {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final CompletableFuture<Boolean> HELD = CompletableFuture.completedFuture(true);
    private static final CompletableFuture<Probe> LEASED =
            CompletableFuture.completedFuture(new Probe(Optional.empty(), true, null));

    private record Stored(CacheEntry entry, long ttlNanos) {}

    private final Cache<String, Stored> entries;
    private final LongAdder evictions = new LongAdder();

    public CaffeineCacheBackend(int maxSize, StateClock clock) {
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .ticker(clock::nanoTime)
                .expireAfter(new Expiry<String, Stored>() {
                    @Override
                    public long expireAfterCreate(String key, Stored value, long currentTime) {
                        return value.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Stored value, long currentTime, long currentDuration) {
                        return value.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Stored value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .removalListener((String key, Stored value, RemovalCause cause) -> {
                    if (cause.wasEvicted()) {
                        evictions.increment();
                    }
                })
                .build();
    }

    @Override
    public CompletionStage<Optional<CacheEntry>> read(String key, CallScope scope) {
        Stored stored = entries.getIfPresent(key);
        return CompletableFuture.completedFuture(stored == null ? Optional.empty() : Optional.of(stored.entry()));
    }

    @Override
    public CompletionStage<Map<String, CacheEntry>> readAll(Collection<String> keys, CallScope scope) {
        Map<String, CacheEntry> found = new HashMap<>();
        entries.getAllPresent(keys).forEach((key, stored) -> found.put(key, stored.entry()));
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public CompletionStage<Probe> readOrLease(String key, Duration lease, long nowMillis, long staleMillis,
                                              CallScope scope) {
        Stored stored = entries.getIfPresent(key);
        if (stored == null || stored.entry().freshUntilMillis() + staleMillis <= nowMillis) {
            return LEASED;
        }
        return CompletableFuture.completedFuture(new Probe(Optional.of(stored.entry()), false, null));
    }

    @Override
    public CompletionStage<Probe> lease(String key, Duration lease, CallScope scope) {
        return LEASED;
    }

    @Override
    public CompletionStage<Boolean> renew(String key, String token, Duration lease, CallScope scope) {
        return HELD;
    }

    @Override
    public CompletionStage<Void> write(String key, CacheEntry entry, Duration ttl, String token, CallScope scope) {
        entries.put(key, new Stored(entry, ttl.toNanos()));
        return DONE;
    }

    @Override
    public CompletionStage<Void> release(String key, String token, CallScope scope) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> delete(String key, CallScope scope) {
        entries.invalidate(key);
        return DONE;
    }

    @Override
    public CompletionStage<Void> deleteAll(CallScope scope) {
        entries.invalidateAll();
        return DONE;
    }

    @Override
    public Long size() {
        return entries.estimatedSize();
    }

    @Override
    public Long evictions() {
        return evictions.sum();
    }
}
