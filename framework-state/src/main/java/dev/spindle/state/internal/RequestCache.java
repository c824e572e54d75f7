package dev.spindle.state.internal;

import dev.spindle.http.Context;
import dev.spindle.state.Cache;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A cache bound to one request: its deadline bounds Redis calls and waits, its loop receives the
 * results, and its cancellation stops them (the caller's stage fails at once; a shared load goes on).
 */
final class RequestCache<V> implements Cache<V> {

    private final DefaultCache<V> cache;
    private final CallScope scope;

    RequestCache(DefaultCache<V> cache, CallScope scope) {
        this.cache = cache;
        this.scope = scope;
    }

    @Override
    public String name() {
        return cache.name();
    }

    @Override
    public CompletionStage<Optional<V>> get(String key) {
        return cache.get(key, scope);
    }

    @Override
    public CompletionStage<Map<String, V>> getAll(Collection<String> keys) {
        return cache.getAll(keys, scope);
    }

    @Override
    public CompletionStage<Void> put(String key, V value, Duration ttl) {
        return cache.put(key, value, ttl, scope);
    }

    @Override
    public CompletionStage<Void> delete(String key) {
        return cache.delete(key, scope);
    }

    @Override
    public CompletionStage<Void> invalidateAll() {
        return cache.invalidateAll(scope);
    }

    @Override
    public CompletionStage<V> getOrLoad(String key, Supplier<? extends CompletionStage<V>> loader, Duration ttl) {
        return cache.getOrLoad(key, loader, ttl, scope);
    }

    @Override
    public CompletionStage<Optional<V>> getOrLoadOptional(String key,
                                                          Supplier<? extends CompletionStage<Optional<V>>> loader,
                                                          Duration ttl) {
        return cache.getOrLoadOptional(key, loader, ttl, scope);
    }

    @Override
    public Cache<V> forRequest(Context other) {
        return cache.forRequest(other);
    }
}
