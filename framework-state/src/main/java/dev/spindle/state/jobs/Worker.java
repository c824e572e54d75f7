package dev.spindle.state.jobs;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** A running worker of one queue. */
public interface Worker extends AutoCloseable {

    /** The queue it works on. */
    String queue();

    /** Jobs running on it now. */
    int running();

    /**
     * Stops gracefully: takes no new job, lets running ones finish for up to {@code grace}, then
     * cancels the rest and releases their leases so that another instance takes them at once (a
     * handler that still succeeds when told to stop completes its job instead). Jobs a fetch on its
     * way leased meanwhile are released untried. Completes when done; never waits much longer than
     * {@code grace} plus a command timeout.
     */
    CompletionStage<Void> shutdown(Duration grace);

    /** {@link #shutdown} with no grace, waiting at most a few seconds. */
    @Override
    void close();
}
