package dev.spindle.cluster.internal;

import dev.spindle.cluster.Instance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The in-memory twin of the Redis store: the same rules (expiry by the caller's clock, fencing
 * tokens that only grow), shared by the instances of one JVM that are given the same store.
 */
public final class MemoryCoordinationStore implements LeaseStore, RegistryStore {

    private record Entry(Instance instance, long expiresAtMillis) {}

    private final Map<String, Lease> leases = new HashMap<>();
    private final Map<String, Long> fences = new HashMap<>();
    private final Map<String, Entry> instances = new HashMap<>();

    @Override
    public synchronized CompletionStage<Lease> acquire(String duty, String holder, long nowMillis, long leaseMillis) {
        Lease current = leases.get(duty);
        long token;
        if (current == null || current.expiresAtMillis() <= nowMillis) {
            token = Math.max(fences.getOrDefault(duty, 0L) + 1, nowMillis * 1000);
            fences.put(duty, token);
        } else if (current.holder().equals(holder)) {
            token = current.token();
        } else {
            return CompletableFuture.completedFuture(current);
        }
        Lease taken = new Lease(holder, token, nowMillis + leaseMillis);
        leases.put(duty, taken);
        return CompletableFuture.completedFuture(taken);
    }

    @Override
    public synchronized CompletionStage<Void> release(String duty, String holder, long token) {
        Lease current = leases.get(duty);
        if (current != null && current.holder().equals(holder) && current.token() == token) {
            leases.remove(duty);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> put(Instance instance, long expiresAtMillis, long ttlMillis) {
        instances.put(instance.id(), new Entry(instance, expiresAtMillis));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<List<Instance>> list(long nowMillis) {
        instances.values().removeIf(entry -> entry.expiresAtMillis() <= nowMillis);
        List<Instance> live = new ArrayList<>();
        instances.values().forEach(entry -> live.add(entry.instance()));
        live.sort(Comparator.comparing(Instance::id));
        return CompletableFuture.completedFuture(live);
    }

    @Override
    public synchronized CompletionStage<Void> remove(String id) {
        instances.remove(id);
        return CompletableFuture.completedFuture(null);
    }
}
