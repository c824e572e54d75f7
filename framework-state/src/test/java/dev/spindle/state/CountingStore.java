package dev.spindle.state;

import dev.spindle.core.Deadline;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that counts the calls reaching the real one underneath. */
final class CountingStore implements SessionStore {

    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger saves = new AtomicInteger();
    final AtomicInteger deletes = new AtomicInteger();
    /** When set, saves fail as a Redis outage would. */
    volatile boolean failSaves;
    private final SessionStore store;

    CountingStore(SessionStore store) {
        this.store = store;
    }

    int calls() {
        return loads.get() + saves.get() + deletes.get();
    }

    @Override
    public CompletionStage<Optional<SessionData>> load(String id, Deadline deadline) {
        loads.incrementAndGet();
        return store.load(id, deadline);
    }

    @Override
    public CompletionStage<Boolean> save(String id, SessionUpdate update, Deadline deadline) {
        saves.incrementAndGet();
        if (failSaves) {
            return java.util.concurrent.CompletableFuture.failedFuture(new StateUnavailableException("saves fail", null));
        }
        return store.save(id, update, deadline);
    }

    @Override
    public CompletionStage<Void> delete(String id, Deadline deadline) {
        deletes.incrementAndGet();
        return store.delete(id, deadline);
    }

    @Override
    public CompletionStage<Void> move(String from, String to, SessionUpdate update, Deadline deadline) {
        saves.incrementAndGet();
        return store.move(from, to, update, deadline);
    }

    @Override
    public CompletionStage<Void> index(String principal, String id, Duration ttl, Deadline deadline) {
        return store.index(principal, id, ttl, deadline);
    }

    @Override
    public CompletionStage<Set<String>> idsOf(String principal, Deadline deadline) {
        return store.idsOf(principal, deadline);
    }

    @Override
    public CompletionStage<Integer> deleteAllOf(String principal, Deadline deadline) {
        deletes.incrementAndGet();
        return store.deleteAllOf(principal, deadline);
    }
}
