package dev.spindle.cluster.internal;

import dev.spindle.cluster.Instance;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where registry entries live: Redis, or this process for the in-memory twin. */
public interface RegistryStore {

    /** Writes {@code instance}'s entry, alive until {@code expiresAtMillis}. */
    CompletionStage<Void> put(Instance instance, long expiresAtMillis, long ttlMillis);

    /** The entries alive at {@code nowMillis}; expired ones are dropped. */
    CompletionStage<List<Instance>> list(long nowMillis);

    /** Removes the entry of {@code id}. */
    CompletionStage<Void> remove(String id);
}
