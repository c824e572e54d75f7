package dev.spindle.state;

import java.util.concurrent.CompletionStage;

/**
 * A listener's registration on a {@link Broadcaster} topic, returned at once, even while Redis is
 * away; close it to stop receiving (e.g. when the WebSocket or SSE stream it feeds closes).
 */
public interface Subscription extends AutoCloseable {

    /** Why a subscription ended. */
    enum CloseReason {
        /** {@link #close()} was called. */
        UNSUBSCRIBED,
        /** Its queue overflowed under {@link Overflow#CLOSE}. */
        OVERFLOW,
        /** The broadcaster was closed (the app is stopping). */
        BROADCASTER_CLOSED
    }

    /** The topic. */
    String topic();

    /**
     * Completes, on the subscription's executor (in place if it refuses the task), once every
     * message published from then on is sure to reach it: at once in memory, after the first
     * contact with Redis otherwise (later, if Redis is down when subscribing). Messages published
     * shortly before may arrive too.
     */
    CompletionStage<Void> active();

    /** Completes, on the subscription's executor, when the subscription ends, with the reason. */
    CompletionStage<CloseReason> closed();

    /** Messages this subscription lost to {@link Overflow#DROP_OLDEST} because its executor fell behind. */
    long dropped();

    /** Stops delivery to this listener; a message it is being handed right now may still arrive. */
    @Override
    void close();
}
