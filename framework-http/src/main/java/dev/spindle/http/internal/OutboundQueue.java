package dev.spindle.http.internal;

import dev.spindle.http.OverflowPolicy;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A connection's outbound messages waiting for a slow client, bounded in bytes. What happens at
 * the bound is the endpoint's {@link OverflowPolicy}; the queue says what it did and the caller
 * closes or counts. Confined to the connection's event loop.
 */
public final class OutboundQueue<T> {

    /** What {@link #offer} did. */
    public enum Outcome {
        /** Queued within the bound. */
        QUEUED,
        /** Queued after dropping older messages (or dropped itself, if larger than the whole bound). */
        DROPPED,
        /** Not queued: the bound was reached under a closing policy. */
        OVERFLOW
    }

    private record Entry<T>(T item, int bytes) {}

    private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();
    private final long maxBytes;
    private final OverflowPolicy policy;
    private final Consumer<T> onDrop;
    private long bytes;
    private long dropped;

    /** A queue of at most {@code maxBytes}; {@code onDrop} sees each message dropped by {@link OverflowPolicy#DROP_OLDEST}. */
    public OutboundQueue(long maxBytes, OverflowPolicy policy, Consumer<T> onDrop) {
        this.maxBytes = maxBytes;
        this.policy = policy;
        this.onDrop = onDrop;
    }

    /** Queues {@code item} of {@code size} bytes, applying the policy at the bound. */
    public Outcome offer(T item, int size) {
        if (bytes + size <= maxBytes) {
            add(item, size);
            return Outcome.QUEUED;
        }
        if (policy != OverflowPolicy.DROP_OLDEST) {
            return Outcome.OVERFLOW;
        }
        if (size > maxBytes) {
            drop(item);
            return Outcome.DROPPED;
        }
        while (bytes + size > maxBytes) {
            Entry<T> oldest = entries.poll();
            bytes -= oldest.bytes;
            drop(oldest.item);
        }
        add(item, size);
        return Outcome.DROPPED;
    }

    private void add(T item, int size) {
        entries.add(new Entry<>(item, size));
        bytes += size;
    }

    private void drop(T item) {
        dropped++;
        onDrop.accept(item);
    }

    /** The oldest message, or null. */
    public T poll() {
        Entry<T> entry = entries.poll();
        if (entry == null) {
            return null;
        }
        bytes -= entry.bytes;
        return entry.item;
    }

    /** The size of the oldest message, or -1 when empty. */
    public int peekSize() {
        Entry<T> entry = entries.peek();
        return entry == null ? -1 : entry.bytes;
    }

    /** Forgets every queued message. */
    public void clear() {
        entries.clear();
        bytes = 0;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Bytes queued. */
    public long bytes() {
        return bytes;
    }

    /** Messages dropped by the policy so far. */
    public long dropped() {
        return dropped;
    }
}
