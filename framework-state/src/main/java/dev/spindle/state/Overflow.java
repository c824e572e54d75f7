package dev.spindle.state;

/**
 * What happens to a subscriber whose queue is full because its executor (usually an event loop)
 * does not keep up with the messages of its topic. Either way memory stays bounded and the event
 * is counted ({@code spindle.broadcast.dropped}, {@code spindle.broadcast.subscriptions.closed}).
 * WebSocket and SSE outbound queues offer the same two choices.
 */
public enum Overflow {

    /** Drop the oldest queued messages and keep delivering: right for live state such as prices. */
    DROP_OLDEST,

    /** End the subscription ({@link Subscription.CloseReason#OVERFLOW}): right when every message matters. */
    CLOSE
}
