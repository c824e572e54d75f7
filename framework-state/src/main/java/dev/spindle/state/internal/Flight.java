package dev.spindle.state.internal;

import dev.spindle.state.StateClock;
import dev.spindle.state.StateUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load of one key, shared by every caller of the instance that misses it meanwhile, and
 * owned by none of them: it is bounded by the cache's load timeout, not by a caller's deadline,
 * so a caller that gives up neither fails the others nor throws the load away. Across instances
 * it takes the load lease (renewed while the loader runs) or waits for the instance that holds
 * it. Every step runs on the executor of the caller whose loader runs, the loader included.
 *
 * <p>When the request whose loader runs is cancelled, the flight goes on: its result is what the
 * other waiters, and the client's likely retry, need, and it is bounded by the load timeout
 * anyway. A loader built on that request's stages ({@code ctx.offload}, outbound or Redis calls
 * for it) fails with the request, though; then the load runs again with the loader of a waiter
 * whose request is still alive, and fails only when none is left.
 */
final class Flight<V> {

    private static final Logger log = LoggerFactory.getLogger(dev.spindle.state.Cache.class);
    private static final long FIRST_POLL_MILLIS = 10;
    private static final long MAX_POLL_MILLIS = 200;

    /** What a flight needs of its cache. */
    interface Owner<V> {
        String name();

        CacheBackend backend();

        dev.spindle.state.CacheOptions<V> options();

        CacheMetrics metrics();

        /** The entry as a value, or empty when it cannot be decoded (a class changed in a rolling deploy). */
        Optional<Optional<V>> decode(CacheEntry entry);

        /** The entry to store for a loaded value. */
        CacheEntry encode(Optional<V> value, long nowMillis, Duration ttl);
    }

    /** A caller's way to load the value: its loader, and the scope (request) it belongs to. */
    record Loader<V>(Supplier<? extends CompletionStage<Optional<V>>> supplier, CallScope scope) {}

    private final Owner<V> cache;
    private final String key;
    private final Duration ttl;
    private final Queue<Loader<V>> standby = new ConcurrentLinkedQueue<>();
    private volatile Loader<V> loader;
    private volatile Executor executor;
    private final Consumer<Flight<V>> landed;
    private final StateClock clock;
    private final CompletableFuture<CacheEntry> result = new CompletableFuture<>();
    private volatile StateClock.Timer bound;
    private volatile StateClock.Timer renewal;
    private volatile String token;
    private int polls;

    Flight(Owner<V> cache, String key, Loader<V> loader, Duration ttl, Consumer<Flight<V>> landed) {
        this.cache = cache;
        this.key = key;
        this.loader = loader;
        this.ttl = ttl;
        this.executor = loader.scope().executor();
        this.landed = landed;
        this.clock = cache.options().clock();
    }

    /** A caller who joined: its loader stands by in case the running one fails with its request. */
    void join(Loader<V> waiter) {
        if (loader.scope().cancellable() && waiter.scope() != loader.scope()) {
            standby.offer(waiter);
        }
    }

    /** Completes with the entry (a value or an absence), or fails; never because a waiter gave up. */
    CompletableFuture<CacheEntry> result() {
        return result;
    }

    /** Starts a load for callers who missed: serves what another instance stored meanwhile, or loads. */
    void start() {
        arm();
        probe();
    }

    /** Starts a background refresh of a stale entry: loads only if this instance gets the lease. */
    void refresh() {
        arm();
        on(cache.backend().lease(key, cache.options().leaseTime(), CallScope.unbound()), (probe, failure) -> {
            if (failure != null) {
                fail(failure);
            } else if (probe.leased()) {
                load(probe.token());
            } else {
                land(null);
            }
        });
    }

    private void arm() {
        Duration limit = cache.options().loadTimeout();
        bound = clock.schedule(() -> executor.execute(() -> fail(new StateUnavailableException("Loading key '" + key
                + "' into cache '" + cache.name() + "' did not finish within " + limit.toMillis() + " ms", null))),
                limit);
    }

    private void probe() {
        long now = clock.millis();
        on(cache.backend().readOrLease(key, cache.options().leaseTime(), now,
                cache.options().staleWhileRevalidate().toMillis(), CallScope.unbound()), (probe, failure) -> {
                    if (failure != null) {
                        fail(failure);
                    } else if (probe.entry().isPresent() && cache.decode(probe.entry().get()).isPresent()) {
                        land(probe.entry().get()); // another instance stored it meanwhile
                    } else if (probe.leased()) {
                        load(probe.token());
                    } else if (probe.entry().isPresent()) {
                        refreshUnreadable();
                    } else {
                        poll();
                    }
                });
    }

    /** An entry this version cannot read: load over it once the lease is ours. */
    private void refreshUnreadable() {
        on(cache.backend().lease(key, cache.options().leaseTime(), CallScope.unbound()), (probe, failure) -> {
            if (failure != null) {
                fail(failure);
            } else if (probe.leased()) {
                load(probe.token());
            } else {
                poll();
            }
        });
    }

    /** Another instance holds the lease: look again, backing off, until its value lands or its lease lapses. */
    private void poll() {
        long delay = Math.min(MAX_POLL_MILLIS, FIRST_POLL_MILLIS << Math.min(polls++, 5));
        clock.schedule(() -> executor.execute(() -> {
            if (!result.isDone()) {
                probe();
            }
        }), Duration.ofMillis(delay));
    }

    private void load(String leaseToken) {
        if (result.isDone()) {
            release(leaseToken);
            return;
        }
        this.token = leaseToken;
        if (leaseToken != null) {
            renewLater();
        }
        long start = clock.nanoTime();
        Loader<V> running = loader;
        CompletionStage<Optional<V>> loading;
        try {
            loading = java.util.Objects.requireNonNull(running.supplier().get(),
                    "The loader returned null instead of a stage");
        } catch (RuntimeException e) {
            loading = CompletableFuture.failedFuture(e);
        }
        on(loading, (value, failure) -> {
            cancel(renewal);
            cache.metrics().loaded(failure == null, clock.nanoTime() - start);
            if (result.isDone()) {
                log.debug("Cache '{}': the load of key '{}' finished after its bound; its result is dropped",
                        cache.name(), key);
                return;
            }
            if (failure != null) {
                if (running.scope().isCancelled() && handOver()) {
                    return;
                }
                release(token);
                fail(failure);
                return;
            }
            store(java.util.Objects.requireNonNull(value, "The loader completed with null instead of an Optional"));
        });
    }

    /**
     * The loader failed after its request was cancelled: runs the load again, keeping the lease,
     * with the loader of the first waiter whose request is still alive, on that waiter's executor.
     */
    private boolean handOver() {
        for (Loader<V> next = standby.poll(); next != null; next = standby.poll()) {
            if (!next.scope().isCancelled()) {
                log.debug("Cache '{}': the request loading key '{}' was cancelled; another waiter's loader takes over",
                        cache.name(), key);
                loader = next;
                executor = next.scope().executor();
                String held = token;
                Callers.orInPlace(executor).execute(() -> load(held));
                return true;
            }
        }
        return false;
    }

    private void store(Optional<V> value) {
        if (value.isEmpty() && cache.options().negativeTtl().isEmpty()) {
            release(token);
            land(cache.encode(value, clock.millis(), Duration.ZERO));
            return;
        }
        Duration fresh = value.isPresent() ? ttl : cache.options().negativeTtl().get();
        CacheEntry entry = cache.encode(value, clock.millis(), fresh);
        cache.metrics().put();
        on(cache.backend().write(key, entry, fresh.plus(cache.options().staleWhileRevalidate()), token,
                CallScope.unbound()), (done, failure) -> {
                    if (failure != null) {
                        log.debug("Cache '{}': storing key '{}' failed; its callers get the loaded value anyway",
                                cache.name(), key, failure);
                    }
                    land(entry);
                });
    }

    private void renewLater() {
        Duration lease = cache.options().leaseTime();
        renewal = clock.schedule(() -> {
            if (!result.isDone()) {
                cache.backend().renew(key, token, lease, CallScope.unbound()).whenComplete((held, failure) -> {
                    if (!result.isDone()) {
                        renewLater();
                    }
                });
            }
        }, lease.dividedBy(3));
    }

    private void release(String leaseToken) {
        if (leaseToken != null) {
            cache.backend().release(key, leaseToken, CallScope.unbound());
        }
    }

    private void land(CacheEntry entry) {
        landed.accept(this); // leave the cache's map first, so a caller that comes back at once starts afresh
        cancel(bound);
        result.complete(entry);
    }

    private void fail(Throwable failure) {
        if (result.isDone()) {
            return;
        }
        landed.accept(this);
        cancel(bound);
        cancel(renewal);
        release(token);
        result.completeExceptionally(RedisFailures.unwrap(failure));
    }

    /** Continues on this flight's executor when {@code stage} completes. */
    private <T> void on(CompletionStage<T> stage, java.util.function.BiConsumer<T, Throwable> next) {
        Loops.resume(stage, executor).whenComplete(next);
    }

    private static void cancel(StateClock.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
