package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * One Server-Sent Event: data plus an optional {@code id} (what the client sends back as
 * {@code Last-Event-ID} after a reconnect), {@code event} name and {@code retry} hint. Immutable.
 *
 * <pre>{@code
 * sink.send(SseEvent.of(json).id(Long.toString(sequence)).event("price"));
 * }</pre>
 */
public final class SseEvent {

    private final String data;
    private final String id;
    private final String event;
    private final Duration retry;

    private SseEvent(String data, String id, String event, Duration retry) {
        this.data = data;
        this.id = id;
        this.event = event;
        this.retry = retry;
    }

    /** An event with {@code data}; line breaks in it become separate {@code data:} lines, as the format requires. */
    public static SseEvent of(String data) {
        return new SseEvent(requireNonNull(data, "data"), null, null, null);
    }

    /** A copy with an id (no line breaks or NUL). */
    public SseEvent id(String id) {
        return new SseEvent(data, checkField("id", id, true), event, retry);
    }

    /** A copy with an event name (no line breaks). */
    public SseEvent event(String event) {
        return new SseEvent(data, id, checkField("event", event, false), retry);
    }

    /** A copy that tells the client how long to wait before reconnecting. */
    public SseEvent retry(Duration retry) {
        requireNonNull(retry, "retry");
        if (retry.isNegative()) {
            throw new IllegalArgumentException("retry: " + retry + " (expected: >= 0)");
        }
        return new SseEvent(data, id, event, retry);
    }

    /** The data. */
    public String data() {
        return data;
    }

    /** The id, if set. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** The event name, if set. */
    public Optional<String> event() {
        return Optional.ofNullable(event);
    }

    /** The reconnection hint, if set. */
    public Optional<Duration> retry() {
        return Optional.ofNullable(retry);
    }

    private static String checkField(String name, String value, boolean noNul) {
        requireNonNull(value, name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || noNul && c == 0) {
                throw new IllegalArgumentException(name + ": contains a line break" + (noNul ? " or NUL" : "")
                        + " (expected: a single line)");
            }
        }
        return value;
    }

    @Override
    public String toString() {
        return "SseEvent[id=" + id + ", event=" + event + ", " + data.length() + " chars]";
    }
}
