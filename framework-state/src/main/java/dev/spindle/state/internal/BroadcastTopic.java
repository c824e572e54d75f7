package dev.spindle.state.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One topic with subscribers on this instance: their queues, one per executor, the sequence that
 * orders its messages here, and the reader's place in its Redis stream. It exists only while it
 * has subscribers, so per-topic state shrinks back when they leave.
 */
final class BroadcastTopic {

    /** A message as queued for subscribers; {@code seq} orders it among this topic's messages here. */
    record Entry(long seq, String body) {}

    private static final LaneQueue[] NONE = new LaneQueue[0];

    final String name;
    /** Where the reader resumes in the Redis stream; null until the reader has asked Redis. Reader only. */
    volatile String position;
    /** Set when the last subscriber left; a topic of that name subscribed again is a new object. */
    volatile boolean removed;
    private final Map<Lane, LaneQueue> byLane = new HashMap<>(); // guarded by FanOut's map
    private volatile LaneQueue[] queues = NONE;
    private volatile boolean active;
    private volatile long lastSeq; // written by the one producer at a time
    private PublisherWindows dedupe; // reader only
    int subscribers; // guarded by FanOut's map

    BroadcastTopic(String name) {
        this.name = name;
    }

    LaneQueue queueFor(Lane lane, int bound) {
        LaneQueue queue = byLane.get(lane);
        if (queue == null) {
            queue = new LaneQueue(this, lane, bound);
            byLane.put(lane, queue);
            LaneQueue[] grown = Arrays.copyOf(queues, queues.length + 1);
            grown[queues.length] = queue;
            queues = grown;
        }
        return queue;
    }

    void removeQueue(LaneQueue queue) {
        if (byLane.remove(queue.lane) != null) {
            List<LaneQueue> kept = new ArrayList<>(Arrays.asList(queues));
            kept.remove(queue);
            queues = kept.toArray(NONE);
        }
    }

    LaneQueue[] queues() {
        return queues;
    }

    long lastSeq() {
        return lastSeq;
    }

    /** Numbers {@code bodies} after the messages before them (one producer at a time). */
    List<Entry> append(List<String> bodies) {
        long seq = lastSeq;
        List<Entry> entries = new ArrayList<>(bodies.size());
        for (String body : bodies) {
            entries.add(new Entry(++seq, body));
        }
        lastSeq = seq;
        return entries;
    }

    boolean isActive() {
        return active;
    }

    void activate() {
        active = true;
        for (LaneQueue queue : queues) {
            for (Subscriber subscriber : queue.subscribers()) {
                subscriber.activate();
            }
        }
    }

    PublisherWindows dedupe() {
        if (dedupe == null) {
            dedupe = new PublisherWindows();
        }
        return dedupe;
    }
}
