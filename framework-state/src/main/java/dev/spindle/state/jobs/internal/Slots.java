package dev.spindle.state.jobs.internal;

import dev.spindle.state.jobs.internal.JobStore.FetchRequest;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker's slot accounting: how many of its slots the store calls in flight have claimed for
 * the jobs they may lease, and the lease requests whose reply was lost, which keep their slots
 * until they are sent again (or the worker stops).
 */
final class Slots {

    /** A lease request that got no reply, to send again with the slots it still claims. */
    record InDoubt(FetchRequest request, int slots) {}

    private final int concurrency;
    private final AtomicInteger claimed = new AtomicInteger();
    private final ConcurrentLinkedQueue<InDoubt> inDoubt = new ConcurrentLinkedQueue<>();

    Slots(int concurrency) {
        this.concurrency = concurrency;
    }

    /**
     * Claims the slots a store call may fill: the free ones (not running one of {@code running}
     * jobs, not claimed), plus {@code freeing} held by jobs the same call finishes. Released with
     * {@link #unclaim} once the leased jobs run.
     */
    int claim(int running, int freeing) {
        while (true) {
            int taken = claimed.get();
            int free = concurrency - running + freeing - taken;
            if (free <= 0) {
                return 0;
            }
            if (claimed.compareAndSet(taken, taken + free)) {
                return free;
            }
        }
    }

    void unclaim(int slots) {
        if (slots > 0) {
            claimed.addAndGet(-slots);
        }
    }

    /** Whether a slot is neither running one of {@code running} jobs nor claimed. */
    boolean anyFree(int running) {
        return concurrency - running - claimed.get() > 0;
    }

    boolean noneClaimed() {
        return claimed.get() == 0;
    }

    /** Keeps a request whose reply was lost, with its slots, for sending again. */
    void inDoubt(InDoubt request) {
        inDoubt.add(request);
    }

    /** The oldest request in doubt, taken off the list, or null. */
    InDoubt nextInDoubt() {
        return inDoubt.poll();
    }

    boolean anyInDoubt() {
        return !inDoubt.isEmpty();
    }

    /** Gives {@code request}'s slots back unless it was taken to be sent again meanwhile. */
    boolean withdraw(InDoubt request) {
        if (inDoubt.remove(request)) {
            unclaim(request.slots());
            return true;
        }
        return false;
    }

    /** Gives back the slots of every request in doubt: their jobs, if any, come back when their lease expires. */
    void dropInDoubt() {
        for (InDoubt lost = inDoubt.poll(); lost != null; lost = inDoubt.poll()) {
            unclaim(lost.slots());
        }
    }
}
