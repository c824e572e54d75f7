package dev.spindle.cluster;

import static java.util.Objects.requireNonNull;

import dev.spindle.cluster.internal.LeaseStore;
import dev.spindle.cluster.internal.MemoryCoordinationStore;
import dev.spindle.cluster.internal.RedisCoordinationStore;
import dev.spindle.cluster.internal.RegistryStore;
import dev.spindle.state.RedisConnection;

/**
 * Where instances register and elect leaders: Redis, shared by every instance of the app, or its
 * in-memory twin, shared by the instances of one JVM given the same store (one instance alone, or
 * tests).
 */
public final class CoordinationStore {

    private static final CoordinationStore PROCESS = inMemory();

    final LeaseStore leases;
    final RegistryStore registry;

    private CoordinationStore(LeaseStore leases, RegistryStore registry) {
        this.leases = leases;
        this.registry = registry;
    }

    /** Keys under the connection's prefix ({@code spindle:{cluster}:instances}, {@code spindle:{cluster:leader:<duty>}}). */
    public static CoordinationStore redis(RedisConnection redis) {
        RedisCoordinationStore store = new RedisCoordinationStore(requireNonNull(redis, "redis"));
        return new CoordinationStore(store, store);
    }

    /** A new in-memory store. */
    public static CoordinationStore inMemory() {
        MemoryCoordinationStore store = new MemoryCoordinationStore();
        return new CoordinationStore(store, store);
    }

    /** The in-memory store of this process, used when the app's state is not on Redis. */
    static CoordinationStore process() {
        return PROCESS;
    }
}
