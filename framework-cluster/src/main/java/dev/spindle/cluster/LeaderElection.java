package dev.spindle.cluster;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Leader election for a singleton duty (a scheduler's promotion pass, a cleanup): at most one
 * instance holds a valid {@link Leadership} at any moment. The leader renews its lease a few times
 * per lease; when it dies, another instance takes over when the lease ends, so within the lease;
 * when it cannot reach the store it demotes itself before its lease ends, so it never acts on a
 * lease another may already hold.
 *
 * <pre>{@code
 * LeaderElection cleanup = coordination.election("cleanup");
 * cleanup.onChange(leadership -> log.info("cleanup leader: {}", leadership.isPresent()));
 * // in the periodic task:
 * cleanup.leadership().ifPresent(lease -> purgeExpired(lease.token()));
 * }</pre>
 */
public interface LeaderElection extends AutoCloseable {

    /** The duty elected for. */
    String duty();

    /** This instance's leadership while it holds a valid lease; empty otherwise. */
    Optional<Leadership> leadership();

    /** Whether this instance leads now. */
    default boolean isLeader() {
        return leadership().isPresent();
    }

    /**
     * Called with the new leadership when this instance is elected, and with empty when it stops
     * leading; on the thread that learnt it (a timer or the store's), so it must not block.
     */
    void onChange(Consumer<Optional<Leadership>> listener);

    /** Stops campaigning and gives the lease up, so another instance takes over within a third of the lease. */
    @Override
    void close();
}
