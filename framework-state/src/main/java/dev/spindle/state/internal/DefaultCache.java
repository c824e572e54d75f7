package dev.spindle.state.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Deadline;
import dev.spindle.http.Context;
import dev.spindle.state.Cache;
import dev.spindle.state.CacheOptions;
import dev.spindle.state.StateUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache logic both backends share: single-flight per key within the instance, the load
 * lease across instances, waiting for another loader with backoff, stale-while-revalidate,
 * negative caching and metrics.
 */
public final class DefaultCache<V> implements Cache<V> {

    private static final Logger log = LoggerFactory.getLogger(Cache.class);
    private static final long FIRST_WAIT_MILLIS = 10;
    private static final long MAX_WAIT_MILLIS = 200;

    private final CacheOptions<V> options;
    private final CacheBackend backend;
    private final CacheMetrics metrics;
    private final BiConsumer<Runnable, Duration> scheduler;
    private final ConcurrentHashMap<String, CompletableFuture<CacheEntry>> flights = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> refreshing = new ConcurrentHashMap<>();

    public DefaultCache(CacheOptions<V> options, CacheBackend backend, MeterRegistry registry,
                        BiConsumer<Runnable, Duration> scheduler) {
        this.options = requireNonNull(options, "options");
        this.backend = backend;
        this.metrics = new CacheMetrics(backend, options.name(), requireNonNull(registry, "registry"));
        this.scheduler = scheduler;
    }

    /** Runs {@code task} after {@code delay} without a thread of its own. */
    public static void delay(Runnable task, Duration delay) {
        CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(task);
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public CompletionStage<Optional<V>> get(String key) {
        return get(key, Deadline.none());
    }

    @Override
    public CompletionStage<Void> put(String key, V value, Duration ttl) {
        return put(key, value, ttl, Deadline.none());
    }

    @Override
    public CompletionStage<Void> delete(String key) {
        return delete(key, Deadline.none());
    }

    @Override
    public CompletionStage<V> getOrLoad(String key, Supplier<? extends CompletionStage<V>> loader, Duration ttl) {
        return getOrLoad(key, loader, ttl, Deadline.none());
    }

    @Override
    public CompletionStage<Optional<V>> getOrLoadOptional(String key,
                                                          Supplier<? extends CompletionStage<Optional<V>>> loader,
                                                          Duration ttl) {
        return getOrLoadOptional(key, loader, ttl, Deadline.none());
    }

    @Override
    public Cache<V> forRequest(Context ctx) {
        return new RequestCache<>(this, requireNonNull(ctx, "ctx"));
    }

    CompletionStage<Optional<V>> get(String key, Deadline deadline) {
        checkKey(key);
        return backend.read(key, deadline).thenApply(entry -> {
            long now = System.currentTimeMillis();
            if (entry.isPresent() && entry.get().fresh(now)) {
                metrics.hit();
                return entry.get().absent() ? Optional.empty() : Optional.of(decode(entry.get()));
            }
            metrics.miss();
            return Optional.empty();
        });
    }

    CompletionStage<Void> put(String key, V value, Duration ttl, Deadline deadline) {
        checkKey(key);
        checkTtl(ttl);
        CacheEntry entry = new CacheEntry(Json.write(requireNonNull(value, "value")),
                System.currentTimeMillis() + ttl.toMillis());
        metrics.put();
        return backend.write(key, entry, ttl.plus(options.staleWhileRevalidate()), null, deadline);
    }

    CompletionStage<Void> delete(String key, Deadline deadline) {
        checkKey(key);
        return backend.delete(key, deadline);
    }

    CompletionStage<V> getOrLoad(String key, Supplier<? extends CompletionStage<V>> loader, Duration ttl,
                                 Deadline deadline) {
        requireNonNull(loader, "loader");
        return getOrLoadOptional(key, () -> loader.get().thenApply(value -> Optional.of(requireNonNull(value,
                "The loader of cache '" + name() + "' completed with null; use getOrLoadOptional for absences"))),
                ttl, deadline).thenApply(value -> value.orElseThrow(() -> new NoSuchElementException(
                "Cache '" + name() + "' holds a cached absence for key '" + key + "'")));
    }

    CompletionStage<Optional<V>> getOrLoadOptional(String key,
                                                   Supplier<? extends CompletionStage<Optional<V>>> loader,
                                                   Duration ttl, Deadline deadline) {
        checkKey(key);
        checkTtl(ttl);
        requireNonNull(loader, "loader");
        CompletableFuture<CacheEntry> flight = flights.get(key);
        if (flight == null) {
            CompletableFuture<CacheEntry> mine = new CompletableFuture<>();
            flight = flights.putIfAbsent(key, mine);
            if (flight == null) {
                flight = mine;
                CompletableFuture<CacheEntry> settled = new CompletableFuture<>();
                // Leave the map before callers resume, so a caller that comes back at once starts afresh.
                settled.whenComplete((entry, failure) -> {
                    flights.remove(key, mine);
                    if (failure != null) {
                        mine.completeExceptionally(failure);
                    } else {
                        mine.complete(entry);
                    }
                });
                probe(key, loader, ttl, deadline, settled, System.nanoTime(), 0);
            } else {
                metrics.hit(); // joined a load in progress: the source is not asked again
            }
        } else {
            metrics.hit();
        }
        return flight.thenApply(entry -> entry.absent() ? Optional.empty() : Optional.of(decode(entry)));
    }

    private void probe(String key, Supplier<? extends CompletionStage<Optional<V>>> loader, Duration ttl,
                       Deadline deadline, CompletableFuture<CacheEntry> flight, long startNanos, int attempt) {
        backend.readOrLease(key, options.leaseTime(), deadline).whenComplete((probe, failure) -> {
            if (failure != null) {
                flight.completeExceptionally(failure);
                return;
            }
            long now = System.currentTimeMillis();
            if (probe.entry().isPresent()) {
                CacheEntry entry = probe.entry().get();
                if (entry.fresh(now)) {
                    countFirst(attempt, true);
                    flight.complete(entry);
                    return;
                }
                if (now < entry.freshUntilMillis() + options.staleWhileRevalidate().toMillis()) {
                    countFirst(attempt, true);
                    flight.complete(entry);
                    refresh(key, loader, ttl);
                    return;
                }
            }
            if (probe.leased() || probe.entry().isPresent()) {
                // A lease, or an entry too stale to serve: this caller loads (the stale one is overwritten).
                countFirst(attempt, false);
                load(key, loader, ttl, probe.token(), deadline).whenComplete((entry, error) -> {
                    if (error != null) {
                        flight.completeExceptionally(error);
                    } else {
                        flight.complete(entry);
                    }
                });
                return;
            }
            waitForOther(key, loader, ttl, deadline, flight, startNanos, attempt);
        });
    }

    /** Another instance holds the lease: poll with backoff until its value lands, it gives up, or the lease runs out. */
    private void waitForOther(String key, Supplier<? extends CompletionStage<Optional<V>>> loader, Duration ttl,
                              Deadline deadline, CompletableFuture<CacheEntry> flight, long startNanos, int attempt) {
        long waited = System.nanoTime() - startNanos;
        if (deadline.isExpired()) {
            flight.completeExceptionally(new StateUnavailableException(
                    "The deadline passed while another instance was loading '" + key + "' into cache '" + name() + "'",
                    null));
            return;
        }
        if (waited > options.leaseTime().toNanos()) {
            log.warn("Cache '{}': the instance loading key '{}' did not finish within its {} ms lease; loading here",
                    name(), key, options.leaseTime().toMillis());
            countFirst(attempt, false);
            load(key, loader, ttl, null, deadline).whenComplete((entry, error) -> {
                if (error != null) {
                    flight.completeExceptionally(error);
                } else {
                    flight.complete(entry);
                }
            });
            return;
        }
        long delay = Math.min(MAX_WAIT_MILLIS, FIRST_WAIT_MILLIS << Math.min(attempt, 5));
        scheduler.accept(() -> probe(key, loader, ttl, deadline, flight, startNanos, attempt + 1),
                Duration.ofMillis(delay));
    }

    private void countFirst(int attempt, boolean hit) {
        if (attempt == 0) {
            if (hit) {
                metrics.hit();
            } else {
                metrics.miss();
            }
        }
    }

    private CompletionStage<CacheEntry> load(String key, Supplier<? extends CompletionStage<Optional<V>>> loader,
                                             Duration ttl, String token, Deadline deadline) {
        long start = System.nanoTime();
        CompletionStage<Optional<V>> loading;
        try {
            loading = requireNonNull(loader.get(), "The loader returned null instead of a stage");
        } catch (RuntimeException e) {
            loading = CompletableFuture.failedFuture(e);
        }
        return loading.handle((value, failure) -> {
            metrics.loaded(failure == null, System.nanoTime() - start);
            if (failure != null) {
                if (token != null) {
                    backend.release(key, token, Deadline.none());
                }
                return CompletableFuture.<CacheEntry>failedFuture(failure);
            }
            long now = System.currentTimeMillis();
            Duration keep = ttl.plus(options.staleWhileRevalidate());
            if (requireNonNull(value, "The loader completed with null instead of an Optional").isPresent()) {
                CacheEntry entry = new CacheEntry(Json.write(value.get()), now + ttl.toMillis());
                metrics.put();
                return backend.write(key, entry, keep, token, deadline).thenApply(done -> entry);
            }
            CacheEntry absent = new CacheEntry(null, now + options.negativeTtl().orElse(Duration.ZERO).toMillis());
            if (options.negativeTtl().isEmpty()) {
                return token == null ? CompletableFuture.completedFuture(absent)
                        : backend.release(key, token, deadline).thenApply(done -> absent);
            }
            metrics.put();
            return backend.write(key, absent, options.negativeTtl().get().plus(options.staleWhileRevalidate()), token,
                    deadline).thenApply(done -> absent);
        }).thenCompose(stage -> stage);
    }

    /** Reloads a stale entry in the background, once per instance and, through the lease, once across instances. */
    private void refresh(String key, Supplier<? extends CompletionStage<Optional<V>>> loader, Duration ttl) {
        if (refreshing.putIfAbsent(key, Boolean.TRUE) != null) {
            return;
        }
        backend.lease(key, options.leaseTime(), Deadline.none())
                .thenCompose(probe -> probe.leased()
                        ? load(key, loader, ttl, probe.token(), Deadline.none()).thenApply(entry -> null)
                        : CompletableFuture.completedFuture(null))
                .whenComplete((done, failure) -> {
                    refreshing.remove(key);
                    if (failure != null) {
                        log.warn("Cache '{}': refreshing stale key '{}' failed; the stale value stays until it expires",
                                name(), key, RedisFailures.unwrap(failure));
                    }
                });
    }

    private V decode(CacheEntry entry) {
        return Json.read(entry.json(), options.type());
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
