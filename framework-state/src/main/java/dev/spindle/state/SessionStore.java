package dev.spindle.state;

import dev.spindle.core.Deadline;
import dev.spindle.state.internal.LettuceConnection;
import dev.spindle.state.internal.MemorySessionStore;
import dev.spindle.state.internal.RedisSessionStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where sessions live. The session middleware is the usual caller; implementations only store,
 * while expiry rules, ids and cookies stay in the middleware. Both implementations keep
 * attribute values as JSON text and expire sessions after the update's TTL by themselves, and
 * keep an index of sessions per principal ({@link Session#principal(String)}) for "log out
 * everywhere". Stages complete on the calling event loop, or off the loops on the background
 * executor (the module's threading model).
 *
 * <pre>{@code
 * SessionStore store = SessionStore.redis(redis);        // one hash per session, per-attribute writes
 * SessionStore local = SessionStore.inMemory(100_000);   // the embedded twin, on Caffeine
 * }</pre>
 */
public interface SessionStore {

    /** Sessions in a Redis hash each, under {@code <prefix>session:<id>}; writes are per attribute, in Lua. */
    static SessionStore redis(RedisConnection redis) {
        return new RedisSessionStore(LettuceConnection.of(redis));
    }

    /** Sessions in this process, at most {@code maxSessions} of them (least recently used go first). */
    static SessionStore inMemory(int maxSessions) {
        return inMemory(maxSessions, StateClock.system());
    }

    /** As {@link #inMemory(int)}, expiring on {@code clock} (a manual one in tests). */
    static SessionStore inMemory(int maxSessions, StateClock clock) {
        return new MemorySessionStore(maxSessions, clock);
    }

    /** The session with this id, empty when unknown or expired. */
    CompletionStage<Optional<SessionData>> load(String id, Deadline deadline);

    /**
     * Applies {@code update}; completes with {@code false} when the session does not exist and the
     * update does not create it.
     */
    CompletionStage<Boolean> save(String id, SessionUpdate update, Deadline deadline);

    /** Deletes the session; deleting an unknown id succeeds. */
    CompletionStage<Void> delete(String id, Deadline deadline);

    /**
     * Moves a session to a new id ({@link Session#regenerate()}): removes {@code from} and creates
     * {@code to} from what {@code from} held at that moment plus {@code update}'s changes, so the
     * old id stops working at once and no concurrent write to it is lost or lands after. When
     * {@code from} is gone, {@code to} gets {@code update}'s changes alone. The default is not
     * atomic; both built-in stores are.
     */
    default CompletionStage<Void> move(String from, String to, SessionUpdate update, Deadline deadline) {
        return load(from, deadline).thenCompose(found -> delete(from, deadline).thenCompose(done -> {
            Map<String, String> set = new HashMap<>(found.map(SessionData::attributes).orElse(Map.of()));
            update.remove().forEach(set::remove);
            set.putAll(update.set());
            return save(to, new SessionUpdate(true, found.map(SessionData::createdAt).orElse(update.createdAt()),
                    update.accessedAt(), update.ttl(), set, Set.of()), deadline);
        })).thenApply(saved -> null);
    }

    /**
     * Records that session {@code id} belongs to {@code principal}, for at least {@code ttl} (the
     * session's longest possible remaining life).
     */
    default CompletionStage<Void> index(String principal, String id, Duration ttl, Deadline deadline) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(getClass().getName()
                + " keeps no index of sessions per principal"));
    }

    /** The ids of the live sessions of {@code principal}. */
    default CompletionStage<Set<String>> idsOf(String principal, Deadline deadline) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(getClass().getName()
                + " keeps no index of sessions per principal"));
    }

    /** Deletes every session of {@code principal} ("log out everywhere"); completes with how many there were. */
    default CompletionStage<Integer> deleteAllOf(String principal, Deadline deadline) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(getClass().getName()
                + " keeps no index of sessions per principal"));
    }
}
