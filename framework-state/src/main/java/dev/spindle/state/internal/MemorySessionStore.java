package dev.spindle.state.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.spindle.core.Deadline;
import dev.spindle.state.SessionData;
import dev.spindle.state.SessionStore;
import dev.spindle.state.SessionUpdate;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The in-memory twin of the Redis store, on Caffeine: per-entry expiry from each update's TTL, bounded size. */
public final class MemorySessionStore implements SessionStore {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Cache<String, Entry> sessions;

    public MemorySessionStore(int maxSessions) {
        this.sessions = Caffeine.newBuilder().maximumSize(maxSessions).expireAfter(new TtlExpiry()).build();
    }

    @Override
    public CompletionStage<Optional<SessionData>> load(String id, Deadline deadline) {
        Entry entry = sessions.getIfPresent(id);
        if (entry == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.completedFuture(
                Optional.of(new SessionData(id, entry.createdAt, entry.accessedAt, Map.copyOf(entry.attributes))));
    }

    @Override
    public CompletionStage<Boolean> save(String id, SessionUpdate update, Deadline deadline) {
        boolean[] saved = new boolean[1];
        sessions.asMap().compute(id, (key, entry) -> {
            Entry current = entry;
            if (current == null) {
                if (!update.create()) {
                    return null;
                }
                current = new Entry(update.createdAt());
            }
            current.accessedAt = update.accessedAt();
            current.ttlNanos = update.ttl().toNanos();
            current.attributes.putAll(update.set());
            update.remove().forEach(current.attributes::remove);
            saved[0] = true;
            return current;
        });
        return CompletableFuture.completedFuture(saved[0]);
    }

    @Override
    public CompletionStage<Void> delete(String id, Deadline deadline) {
        sessions.invalidate(id);
        return DONE;
    }

    private static final class Entry {
        final Instant createdAt;
        final Map<String, String> attributes = new ConcurrentHashMap<>();
        volatile Instant accessedAt;
        volatile long ttlNanos;

        Entry(Instant createdAt) {
            this.createdAt = createdAt;
        }
    }

    private static final class TtlExpiry implements Expiry<String, Entry> {
        @Override
        public long expireAfterCreate(String key, Entry entry, long currentTime) {
            return entry.ttlNanos;
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
            return entry.ttlNanos;
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
