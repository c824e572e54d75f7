package dev.spindle.cluster.internal;

import java.util.concurrent.CompletionStage;

/** Where leases live: Redis, or this process for the in-memory twin. */
public interface LeaseStore {

    /** A lease as stored: its holder, fencing token and end (by the clock of whoever wrote it). */
    record Lease(String holder, long token, long expiresAtMillis) {}

    /**
     * Takes the lease of {@code duty} for {@code holder} when it is free, ended at {@code nowMillis},
     * or already the holder's (then renewed, same token); a new holder gets the next fencing token.
     * Completes with the lease as it stands after the attempt, whoever holds it.
     */
    CompletionStage<Lease> acquire(String duty, String holder, long nowMillis, long leaseMillis);

    /** Gives the lease up if {@code holder} still holds it with {@code token}. */
    CompletionStage<Void> release(String duty, String holder, long token);
}
