package dev.spindle.http;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One accepted WebSocket (RFC 6455). Listeners run on the connection's event loop, one message at
 * a time, in order; {@link #send(String)} and {@link #close(int, String)} may be called from any
 * thread. Messages arrive whole: fragments are joined up to the endpoint's message size limit.
 *
 * <p>Sending never blocks and never buffers without bound: a message goes to the socket at once
 * while the client keeps up, otherwise into a queue bounded in bytes, and past the bound the
 * endpoint's {@link OverflowPolicy} applies. A listener that throws closes the socket with 1011
 * (logged once); it never affects another connection.
 *
 * <pre>{@code
 * app.websocket("/chat/{room}", ws -> {
 *     String topic = "room:" + ws.pathParam("room");
 *     Subscription feed = broadcaster.subscribe(topic, ws.executor(), ws::send);
 *     ws.onText(message -> broadcaster.publish(topic, message));
 *     ws.onClose(close -> feed.close());
 * });
 * }</pre>
 */
public interface WebSocket {

    /** Close codes of RFC 6455 section 7.4.1 that servers use. */
    int NORMAL_CLOSURE = 1000;
    /** The server is going away (shutting down). */
    int GOING_AWAY = 1001;
    /** The peer broke the protocol. */
    int PROTOCOL_ERROR = 1002;
    /** A text message that is not UTF-8. */
    int INVALID_PAYLOAD = 1007;
    /** The peer broke a rule of the endpoint, such as reading too slowly under {@link OverflowPolicy#CLOSE_POLICY_VIOLATION}. */
    int POLICY_VIOLATION = 1008;
    /** A frame or message above the endpoint's limit. */
    int MESSAGE_TOO_BIG = 1009;
    /** The endpoint failed (a listener threw). */
    int INTERNAL_ERROR = 1011;
    /** The server is overloaded; try again later. */
    int TRY_AGAIN_LATER = 1013;
    /** Recorded, never sent: the connection ended without a close handshake. */
    int ABNORMAL_CLOSURE = 1006;

    /** The request that was upgraded: headers, cookies, attributes set by middleware (the session, the user). */
    Context request();

    /** A path parameter of the route template. */
    default String pathParam(String name) {
        return request().pathParam(name);
    }

    /** The subprotocol agreed with the client, if any. */
    Optional<String> subprotocol();

    /** Called with each text message. */
    WebSocket onText(Consumer<String> listener);

    /** Called with each binary message; the array is the listener's to keep. */
    WebSocket onBinary(Consumer<byte[]> listener);

    /** Called once when the socket ends, with the close code and reason (1006 when it ended without a handshake). */
    WebSocket onClose(Consumer<CloseStatus> listener);

    /** Sends a text message (queued, see the class documentation). */
    void send(String text);

    /** Sends a binary message; the array must not change afterwards. */
    void send(byte[] bytes);

    /** Starts the close handshake with {@code code} after the messages already queued; the socket ends when the client answers. */
    void close(int code, String reason);

    /** Closes with 1000 (normal closure). */
    default void close() {
        close(NORMAL_CLOSURE, "");
    }

    /** Whether messages may still be sent: the close handshake has not started. */
    boolean isOpen();

    /** Bytes waiting in this socket's outbound queue. */
    long queuedBytes();

    /** Messages dropped under {@link OverflowPolicy#DROP_OLDEST}. */
    long dropped();

    /** The connection's event loop: subscribe feeds on it so that {@link #send(String)} costs no thread hop. */
    Executor executor();

    /**
     * Runs CPU-bound work on the offload pool and completes on this socket's loop, like
     * {@link Context#offload} but without the upgrade request's deadline, which a socket outlives.
     * A full pool fails the stage at once ({@code OverloadException}).
     */
    <T> CompletionStage<T> offload(Callable<T> work);

    /** As {@link #offload(Callable)}, on the pool for blocking I/O. */
    <T> CompletionStage<T> blocking(Callable<T> work);

    /** How a socket ended. */
    record CloseStatus(int code, String reason) {}
}
