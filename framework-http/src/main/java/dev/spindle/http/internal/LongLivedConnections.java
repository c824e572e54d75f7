package dev.spindle.http.internal;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The server's open WebSockets and SSE streams: graceful shutdown asks each to end promptly
 * ({@link Member#drain()}: a 1001 close, a last event) and waits for them within the grace period,
 * instead of holding it to its end or cutting them off. Also caches the endpoints' meters.
 */
public final class LongLivedConnections {

    /** One long-lived connection. */
    public interface Member {
        /** The server is draining: end soon and cleanly. Called from any thread. */
        void drain();
    }

    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Object> meters = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private volatile boolean draining;

    LongLivedConnections(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers {@code member}; false (and not registered) when the server is draining already. */
    public boolean add(Member member) {
        members.add(member);
        if (draining) {
            members.remove(member);
            return false;
        }
        return true;
    }

    /** Unregisters {@code member} once it ended. */
    public void remove(Member member) {
        members.remove(member);
    }

    /** Open long-lived connections. */
    public int size() {
        return members.size();
    }

    /** Whether the server is draining. */
    public boolean draining() {
        return draining;
    }

    /** Asks every member to end; later ones are refused by {@link #add}. */
    void drainAll() {
        if (draining) {
            return; // asked once: a stream's last event goes out once
        }
        draining = true;
        for (Member member : members) {
            member.drain();
        }
    }

    /** The meters under {@code key}, created once from the server's registry. */
    @SuppressWarnings("unchecked")
    public <T> T meters(String key, Function<MeterRegistry, T> create) {
        return (T) meters.computeIfAbsent(key, k -> create.apply(registry));
    }
}
