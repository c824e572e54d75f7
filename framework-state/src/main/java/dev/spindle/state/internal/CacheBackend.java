package dev.spindle.state.internal;

import dev.spindle.core.Deadline;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Where a {@link DefaultCache} keeps entries and load leases. */
public interface CacheBackend {

    /** The outcome of looking a key up while asking for the right to load it. */
    record Probe(Optional<CacheEntry> entry, boolean leased, String token) {}

    /** The entry, if any (fresh or stale). */
    CompletionStage<Optional<CacheEntry>> read(String key, Deadline deadline);

    /** The entry if there is one; otherwise tries to take the load lease for {@code lease}. */
    CompletionStage<Probe> readOrLease(String key, Duration lease, Deadline deadline);

    /** Takes the load lease if free (for a background refresh of a stale entry). */
    CompletionStage<Probe> lease(String key, Duration lease, Deadline deadline);

    /** Stores the entry for {@code ttl}, releasing the lease {@code token} holds (null: none). */
    CompletionStage<Void> write(String key, CacheEntry entry, Duration ttl, String token, Deadline deadline);

    /** Releases the lease if {@code token} still holds it. */
    CompletionStage<Void> release(String key, String token, Deadline deadline);

    /** Deletes the entry. */
    CompletionStage<Void> delete(String key, Deadline deadline);

    /** Entries held, when known. */
    Long size();

    /** Entries evicted for size or expiry, when known. */
    Long evictions();
}
