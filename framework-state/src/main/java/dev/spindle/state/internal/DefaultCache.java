package dev.spindle.state.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Deadline;
import dev.spindle.http.Context;
import dev.spindle.state.Cache;
import dev.spindle.state.CacheOptions;
import dev.spindle.state.StateClock;
import dev.spindle.state.StateUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache logic both backends share: a hit is one read; misses of a key join one {@link Flight}
 * per instance; stale-while-revalidate, negative caching, undecodable entries read as misses, and
 * metrics. Every stage completes on the caller's executor, and everything that runs user code
 * (decoding, encoding, the loader) runs there too.
 */
public final class DefaultCache<V> implements Cache<V>, Flight.Owner<V> {

    private static final Logger log = LoggerFactory.getLogger(Cache.class);

    private final CacheOptions<V> options;
    private final CacheBackend backend;
    private final CacheMetrics metrics;
    private final Callers callers;
    private final Json json;
    private final StateClock clock;
    private final ConcurrentHashMap<String, Flight<V>> flights = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Flight<V>> refreshing = new ConcurrentHashMap<>();
    private volatile boolean warnedUndecodable;

    public DefaultCache(CacheOptions<V> options, CacheBackend backend, MeterRegistry registry, Callers callers,
                        Json json) {
        this.options = requireNonNull(options, "options");
        this.backend = backend;
        this.metrics = new CacheMetrics(backend, options.name(), requireNonNull(registry, "registry"));
        this.callers = callers;
        this.json = json;
        this.clock = options.clock();
        json.warm(options.type());
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public CacheBackend backend() {
        return backend;
    }

    @Override
    public CacheOptions<V> options() {
        return options;
    }

    @Override
    public CacheMetrics metrics() {
        return metrics;
    }

    @Override
    public CompletionStage<Optional<V>> get(String key) {
        return get(key, background());
    }

    @Override
    public CompletionStage<Map<String, V>> getAll(Collection<String> keys) {
        return getAll(keys, background());
    }

    @Override
    public CompletionStage<Void> put(String key, V value, Duration ttl) {
        return put(key, value, ttl, background());
    }

    @Override
    public CompletionStage<Void> delete(String key) {
        return delete(key, background());
    }

    @Override
    public CompletionStage<Void> invalidateAll() {
        return invalidateAll(background());
    }

    @Override
    public CompletionStage<V> getOrLoad(String key, Supplier<? extends CompletionStage<V>> loader, Duration ttl) {
        return getOrLoad(key, loader, ttl, background());
    }

    @Override
    public CompletionStage<Optional<V>> getOrLoadOptional(String key,
                                                          Supplier<? extends CompletionStage<Optional<V>>> loader,
                                                          Duration ttl) {
        return getOrLoadOptional(key, loader, ttl, background());
    }

    @Override
    public Cache<V> forRequest(Context ctx) {
        return new RequestCache<>(this, CallScope.of(ctx));
    }

    /** A call made for no request: no deadline, completing where the caller runs. */
    private CallScope background() {
        return CallScope.of(Deadline.none(), callers.current());
    }

    CompletionStage<Optional<V>> get(String key, CallScope scope) {
        checkKey(key);
        return scope.guard(scope.resume(backend.read(key, scope)).thenApply(found -> {
            Optional<Optional<V>> value = found.filter(entry -> entry.fresh(clock.millis())).flatMap(this::decode);
            if (value.isPresent()) {
                metrics.hit();
                return value.get();
            }
            metrics.miss();
            return Optional.empty();
        }));
    }

    CompletionStage<Map<String, V>> getAll(Collection<String> keys, CallScope scope) {
        requireNonNull(keys, "keys").forEach(DefaultCache::checkKey);
        if (keys.isEmpty()) {
            return scope.resume(CompletableFuture.completedFuture(Map.of()));
        }
        return scope.guard(scope.resume(backend.readAll(keys, scope)).thenApply(found -> {
            Map<String, V> values = new LinkedHashMap<>();
            long now = clock.millis();
            for (String key : keys) {
                CacheEntry entry = found.get(key);
                Optional<V> value = entry != null && entry.fresh(now) ? decode(entry).flatMap(v -> v) : Optional.empty();
                value.ifPresentOrElse(v -> {
                    values.put(key, v);
                    metrics.hit();
                }, metrics::miss);
            }
            return values;
        }));
    }

    CompletionStage<Void> put(String key, V value, Duration ttl, CallScope scope) {
        checkKey(key);
        checkTtl(ttl);
        CacheEntry entry = encode(Optional.of(requireNonNull(value, "value")), clock.millis(), ttl);
        metrics.put();
        return scope.resume(backend.write(key, entry, ttl.plus(options.staleWhileRevalidate()), null, scope));
    }

    CompletionStage<Void> delete(String key, CallScope scope) {
        checkKey(key);
        return scope.resume(backend.delete(key, scope));
    }

    CompletionStage<Void> invalidateAll(CallScope scope) {
        return scope.resume(backend.deleteAll(scope));
    }

    CompletionStage<V> getOrLoad(String key, Supplier<? extends CompletionStage<V>> loader, Duration ttl,
                                 CallScope scope) {
        requireNonNull(loader, "loader");
        return scope.guard(getOrLoadOptional(key, () -> loader.get().thenApply(value -> Optional.of(requireNonNull(value,
                "The loader of cache '" + name() + "' completed with null; use getOrLoadOptional for absences"))),
                ttl, scope).thenApply(value -> value.orElseThrow(() -> new NoSuchElementException(
                "Cache '" + name() + "' holds a cached absence for key '" + key + "'"))));
    }

    CompletionStage<Optional<V>> getOrLoadOptional(String key,
                                                   Supplier<? extends CompletionStage<Optional<V>>> loader,
                                                   Duration ttl, CallScope scope) {
        checkKey(key);
        checkTtl(ttl);
        requireNonNull(loader, "loader");
        return scope.guard(scope.resume(backend.read(key, scope)).thenCompose(found -> {
            long now = clock.millis();
            if (found.isPresent() && now < found.get().freshUntilMillis() + options.staleWhileRevalidate().toMillis()) {
                Optional<Optional<V>> value = decode(found.get());
                if (value.isPresent()) {
                    metrics.hit();
                    if (!found.get().fresh(now)) {
                        refresh(key, loader, ttl, scope);
                    }
                    return CompletableFuture.completedFuture(value.get());
                }
            }
            metrics.miss();
            return await(join(key, new Flight.Loader<>(loader, scope), ttl), scope, key)
                    .thenApply(entry -> decode(entry).orElseThrow(() -> new IllegalStateException(
                            "Cache '" + name() + "' loaded a value for key '" + key + "' it cannot read back")));
        }));
    }

    /** The flight loading {@code key}, started by this caller if none is under way. */
    private Flight<V> join(String key, Flight.Loader<V> loader, Duration ttl) {
        Flight<V> flight = flights.get(key);
        if (flight != null) {
            flight.join(loader);
            return flight;
        }
        Flight<V> mine = new Flight<>(this, key, loader, ttl, landed -> flights.remove(key, landed));
        flight = flights.putIfAbsent(key, mine);
        if (flight != null) {
            flight.join(loader);
            return flight;
        }
        mine.start();
        return mine;
    }

    /**
     * The flight's result for one caller, who gives up at its own deadline, or when its request is
     * cancelled, without cancelling the flight for the others.
     */
    private CompletableFuture<CacheEntry> await(Flight<V> flight, CallScope scope, String key) {
        CompletableFuture<CacheEntry> mine = scope.resume(flight.result());
        Deadline deadline = scope.deadline();
        if (!deadline.isUnbounded() && !mine.isDone()) {
            StateClock.Timer timer = clock.schedule(() -> scope.executor().execute(() -> mine.completeExceptionally(
                    new StateUnavailableException("The deadline passed while key '" + key + "' of cache '" + name()
                            + "' was loading", null))), deadline.remaining());
            mine.whenComplete((entry, failure) -> timer.cancel());
        }
        return mine;
    }

    /** Reloads a stale entry in the background, once per instance and, through the lease, once across instances. */
    private void refresh(String key, Supplier<? extends CompletionStage<Optional<V>>> loader, Duration ttl,
                         CallScope scope) {
        Flight<V> mine = new Flight<>(this, key, new Flight.Loader<>(loader, scope), ttl,
                landed -> refreshing.remove(key, landed));
        if (refreshing.putIfAbsent(key, mine) != null) {
            return;
        }
        mine.result().whenComplete((entry, failure) -> {
            if (failure != null) {
                log.warn("Cache '{}': refreshing stale key '{}' failed; the stale value stays until it expires: {}",
                        name(), key, RedisFailures.unwrap(failure).toString());
            }
        });
        mine.refresh();
    }

    @Override
    public Optional<Optional<V>> decode(CacheEntry entry) {
        if (entry.absent()) {
            return Optional.of(Optional.empty());
        }
        try {
            return Optional.of(Optional.of(json.read(entry.json(), options.type())));
        } catch (RuntimeException e) {
            metrics.undecodable();
            if (!warnedUndecodable) {
                warnedUndecodable = true;
                log.warn("Cache '{}' (version {}) holds values it cannot read as {}; they count as misses and are "
                        + "reloaded. Raise the cache's version when its value type changes: {}", name(),
                        options.version(), options.type().getName(), e.getMessage());
            }
            return Optional.empty();
        }
    }

    @Override
    public CacheEntry encode(Optional<V> value, long nowMillis, Duration ttl) {
        return new CacheEntry(value.map(json::write).orElse(null), nowMillis + ttl.toMillis());
    }

    private static void checkKey(String key) {
        requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key: empty (expected: a non-empty string)");
        }
    }

    private static void checkTtl(Duration ttl) {
        requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
    }
}
