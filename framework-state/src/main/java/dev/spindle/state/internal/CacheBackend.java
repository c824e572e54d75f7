package dev.spindle.state.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where a {@link DefaultCache} keeps entries and load leases. Stages may complete on any thread
 * (Lettuce's); the cache hands them to its callers' executors.
 */
public interface CacheBackend {

    /** The outcome of looking a key up while asking for the right to load it. */
    record Probe(Optional<CacheEntry> entry, boolean leased, String token) {}

    /** The entry, if any (fresh or stale). */
    CompletionStage<Optional<CacheEntry>> read(String key, CallScope scope);

    /** The entries of the keys that have one. */
    CompletionStage<Map<String, CacheEntry>> readAll(Collection<String> keys, CallScope scope);

    /**
     * The entry if it can still be served at {@code nowMillis} (fresh, or stale within
     * {@code staleMillis}); otherwise tries to take the load lease for {@code lease}.
     */
    CompletionStage<Probe> readOrLease(String key, Duration lease, long nowMillis, long staleMillis, CallScope scope);

    /** Takes the load lease if free. */
    CompletionStage<Probe> lease(String key, Duration lease, CallScope scope);

    /** Extends the lease {@code token} holds to {@code lease} from now; false when it is no longer held. */
    CompletionStage<Boolean> renew(String key, String token, Duration lease, CallScope scope);

    /** Stores the entry for {@code ttl}, releasing the lease {@code token} holds (null: none). */
    CompletionStage<Void> write(String key, CacheEntry entry, Duration ttl, String token, CallScope scope);

    /** Releases the lease if {@code token} still holds it. */
    CompletionStage<Void> release(String key, String token, CallScope scope);

    /** Deletes the entry. */
    CompletionStage<Void> delete(String key, CallScope scope);

    /** Deletes every entry of the cache (of its schema version). */
    CompletionStage<Void> deleteAll(CallScope scope);

    /** Entries held, when known. */
    Long size();

    /** Entries evicted for size or expiry, when known. */
    Long evictions();
}
