package dev.spindle.http;

/**
 * What a WebSocket or SSE endpoint does with a client that reads slower than the server sends:
 * once the connection's outbound queue holds its bound in bytes, one of these applies. Either way
 * the server's memory stays bounded and the event is counted ({@code spindle.websocket.dropped},
 * {@code spindle.sse.dropped}, closes by code).
 */
public enum OverflowPolicy {

    /** Drop the oldest queued messages and keep the connection: right for live values such as prices. */
    DROP_OLDEST,

    /**
     * Close: a WebSocket with 1008 (policy violation), an SSE stream by ending it (the client
     * reconnects with {@code Last-Event-ID} and the endpoint can replay). Right when every message matters.
     */
    CLOSE_POLICY_VIOLATION,

    /**
     * Close: a WebSocket with 1013 (try again later), an SSE stream by ending it. Tells a well-behaved
     * client the server is overloaded rather than that it misbehaved.
     */
    CLOSE_TRY_AGAIN_LATER
}
