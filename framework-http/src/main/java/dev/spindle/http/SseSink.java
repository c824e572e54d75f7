package dev.spindle.http;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The sending end of one Server-Sent Events stream ({@code text/event-stream}). Every method may
 * be called from any thread; events are written in the order they were sent. Sending never
 * blocks and never buffers without bound: past the endpoint's queue bound its
 * {@link OverflowPolicy} applies. While nothing is sent, comment lines keep proxies from timing
 * the stream out ({@link SseOptions.Builder#heartbeat}).
 */
public interface SseSink {

    /** Sends an event with only a {@code data} field (multi-line data becomes several {@code data:} lines). */
    void send(String data);

    /** Sends an event with its {@code id}, {@code event} name, {@code retry} and data. */
    void send(SseEvent event);

    /** Sends a comment line (ignored by clients; what heartbeats are). */
    void comment(String text);

    /**
     * The {@code Last-Event-ID} the client sent when reconnecting: the id of the last event it
     * received, from which the endpoint can replay what it missed.
     */
    Optional<String> lastEventId();

    /** Ends the stream after the events already queued. */
    void close();

    /** Runs {@code action} once when the stream ends, for any reason (client gone, closed, overflow, shutdown). */
    void onClose(Runnable action);

    /** Whether the stream is still open. */
    boolean isOpen();

    /** Events dropped under {@link OverflowPolicy#DROP_OLDEST}. */
    long dropped();

    /** The stream's event loop: subscribe feeds on it so that sending costs no thread hop. */
    Executor executor();
}
