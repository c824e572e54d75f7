package dev.spindle.state;

import dev.spindle.core.Deadline;
import dev.spindle.state.internal.LettuceConnection;
import dev.spindle.state.internal.MemorySessionStore;
import dev.spindle.state.internal.RedisSessionStore;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where sessions live. The session middleware is the usual caller; implementations only store,
 * while expiry rules, ids and cookies stay in the middleware. Both implementations keep
 * attribute values as JSON text and expire sessions after the update's TTL by themselves.
 *
 * <pre>{@code
 * SessionStore store = SessionStore.redis(redis);        // one hash per session, per-attribute writes
 * SessionStore local = SessionStore.inMemory(100_000);   // the embedded twin, on Caffeine
 * }</pre>
 */
public interface SessionStore {

    /** Sessions in a Redis hash each, under {@code <prefix>session:<id>}; writes are per attribute, in Lua. */
    static SessionStore redis(RedisConnection redis) {
        return new RedisSessionStore((LettuceConnection) redis);
    }

    /** Sessions in this process, at most {@code maxSessions} of them (least recently used go first). */
    static SessionStore inMemory(int maxSessions) {
        return new MemorySessionStore(maxSessions);
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
}
