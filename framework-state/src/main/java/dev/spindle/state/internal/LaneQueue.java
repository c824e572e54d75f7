package dev.spindle.state.internal;

import dev.spindle.state.Overflow;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The messages of one topic waiting for one executor, and that topic's subscribers on it. They
 * all receive the same messages in the same task, so one bounded queue serves each of them as its
 * own: when it overflows, each subscriber's {@link Overflow} policy decides what happens to it.
 */
final class LaneQueue {

    private static final int MAX_BATCH = 256;

    final BroadcastTopic topic;
    final Lane lane;
    private final int bound;
    private final Queue<BroadcastTopic.Entry> entries = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    LaneQueue(BroadcastTopic topic, Lane lane, int bound) {
        this.topic = topic;
        this.lane = lane;
        this.bound = bound;
    }

    List<Subscriber> subscribers() {
        return subscribers;
    }

    int pending() {
        return pending.get();
    }

    /** Queues {@code batch} (producer side), dropping the oldest beyond the bound; returns how many it dropped. */
    int offer(List<BroadcastTopic.Entry> batch) {
        for (BroadcastTopic.Entry entry : batch) {
            entries.offer(entry);
        }
        int dropped = 0;
        if (pending.addAndGet(batch.size()) > bound) {
            while (pending.get() > bound && entries.poll() != null) {
                pending.decrementAndGet();
                dropped++;
            }
        }
        if (dropped > 0) {
            for (Subscriber subscriber : subscribers) {
                subscriber.overflowed(dropped);
            }
        }
        if (ready.compareAndSet(false, true)) {
            lane.ready(this);
        }
        return dropped;
    }

    /**
     * Hands queued messages to every subscriber, on the lane's executor, as many as fit in about
     * {@code calls} listener calls (at least one message), using {@code batch} as scratch; returns
     * how many calls that made.
     */
    int drain(List<BroadcastTopic.Entry> batch, int calls) {
        ready.set(false);
        batch.clear();
        int max = Math.max(1, Math.min(MAX_BATCH, calls / Math.max(1, subscribers.size())));
        BroadcastTopic.Entry entry;
        while (batch.size() < max && (entry = entries.poll()) != null) {
            pending.decrementAndGet();
            batch.add(entry);
        }
        int made = 0;
        if (!batch.isEmpty()) {
            for (Subscriber subscriber : subscribers) {
                made += subscriber.deliver(batch);
            }
        }
        if (!entries.isEmpty() && ready.compareAndSet(false, true)) {
            lane.ready(this); // the rest in a later turn, so one busy topic cannot hold the loop
        }
        return made;
    }
}
