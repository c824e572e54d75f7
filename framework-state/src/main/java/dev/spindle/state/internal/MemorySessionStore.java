package dev.spindle.state.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.spindle.core.Deadline;
import dev.spindle.state.SessionData;
import dev.spindle.state.SessionStore;
import dev.spindle.state.SessionUpdate;
import dev.spindle.state.StateClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory twin of the Redis store, on Caffeine: per-entry expiry from each update's TTL on
 * the given clock, bounded size, and a per-principal index cleaned as sessions go.
 */
public final class MemorySessionStore implements SessionStore {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Cache<String, Entry> sessions;
    private final Map<String, Set<String>> principals = new ConcurrentHashMap<>();

    public MemorySessionStore(int maxSessions, StateClock clock) {
        this.sessions = Caffeine.newBuilder().maximumSize(maxSessions).ticker(clock::nanoTime)
                .expireAfter(new TtlExpiry())
                .removalListener((String id, Entry entry, RemovalCause cause) -> unindex(id, entry))
                .build();
    }

    private void unindex(String id, Entry entry) {
        String principal = entry == null ? null : entry.attributes.get(DefaultSession.PRINCIPAL);
        if (principal != null) {
            principals.computeIfPresent(Json.defaults().read(principal, String.class), (name, ids) -> {
                ids.remove(id);
                return ids.isEmpty() ? null : ids;
            });
        }
    }

    @Override
    public CompletionStage<Optional<SessionData>> load(String id, Deadline deadline) {
        Entry entry = sessions.getIfPresent(id);
        if (entry == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.completedFuture(Optional.of(entry.data(id)));
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

    @Override
    public CompletionStage<Void> move(String from, String to, SessionUpdate update, Deadline deadline) {
        Entry old = sessions.asMap().remove(from);
        Map<String, String> set = new HashMap<>(old == null ? Map.of() : old.attributes);
        update.remove().forEach(set::remove);
        set.putAll(update.set());
        return save(to, new SessionUpdate(true, old == null ? update.createdAt() : old.createdAt, update.accessedAt(),
                update.ttl(), set, Set.of()), deadline).thenApply(saved -> null);
    }

    @Override
    public CompletionStage<Void> index(String principal, String id, Duration ttl, Deadline deadline) {
        principals.computeIfAbsent(principal, name -> ConcurrentHashMap.newKeySet()).add(id);
        return DONE;
    }

    @Override
    public CompletionStage<Set<String>> idsOf(String principal, Deadline deadline) {
        Set<String> ids = principals.get(principal);
        if (ids == null) {
            return CompletableFuture.completedFuture(Set.of());
        }
        ids.removeIf(id -> sessions.getIfPresent(id) == null);
        return CompletableFuture.completedFuture(Set.copyOf(ids));
    }

    @Override
    public CompletionStage<Integer> deleteAllOf(String principal, Deadline deadline) {
        Set<String> ids = principals.remove(principal);
        int deleted = 0;
        for (String id : ids == null ? Set.<String>of() : ids) {
            if (sessions.asMap().remove(id) != null) {
                deleted++;
            }
        }
        return CompletableFuture.completedFuture(deleted);
    }

    private static final class Entry {
        final Instant createdAt;
        final Map<String, String> attributes = new ConcurrentHashMap<>();
        volatile Instant accessedAt;
        volatile long ttlNanos;

        Entry(Instant createdAt) {
            this.createdAt = createdAt;
        }

        SessionData data(String id) {
            return new SessionData(id, createdAt, accessedAt, attributes);
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
