package dev.spindle.state.internal;

import dev.spindle.state.Overflow;
import dev.spindle.state.Subscription.CloseReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The subscribers of this instance by topic and by executor, and delivery of a topic's messages to
 * them. Messages come from one producer at a time (the stream reader, or the in-memory twin's
 * publisher); subscribing and unsubscribing may happen on any thread.
 */
final class FanOut {

    final BroadcastMetrics metrics;
    private final int queueBound;
    private final Consumer<BroadcastTopic> onNewTopic;
    private final ConcurrentHashMap<String, BroadcastTopic> topics = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Executor, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger subscribers = new AtomicInteger();
    private volatile boolean closed;

    FanOut(int queueBound, BroadcastMetrics metrics, Consumer<BroadcastTopic> onNewTopic) {
        this.queueBound = queueBound;
        this.metrics = metrics;
        this.onNewTopic = onNewTopic;
        metrics.gauge("spindle.broadcast.topics", "Topics with subscribers on this instance", topics,
                ConcurrentHashMap::size);
        metrics.gauge("spindle.broadcast.subscribers", "Subscriptions on this instance", subscribers, AtomicInteger::get);
        metrics.gauge("spindle.broadcast.queued", "Messages waiting for subscribers' executors", this, FanOut::queued);
    }

    Subscriber subscribe(String name, Executor executor, Overflow overflow, Consumer<String> listener) {
        if (closed) {
            throw new IllegalStateException("The broadcaster is closed");
        }
        Lane lane = lanes.compute(executor, (key, existing) -> {
            Lane used = existing != null ? existing : new Lane(executor, metrics);
            used.users++;
            return used;
        });
        Subscriber[] made = new Subscriber[1];
        boolean[] created = new boolean[1];
        BroadcastTopic topic = topics.compute(name, (key, existing) -> {
            BroadcastTopic used = existing;
            if (used == null) {
                used = new BroadcastTopic(name);
                created[0] = true;
            }
            LaneQueue queue = used.queueFor(lane, queueBound);
            made[0] = new Subscriber(this, used, queue, listener, overflow);
            queue.subscribers().add(made[0]);
            used.subscribers++;
            return used;
        });
        subscribers.incrementAndGet();
        if (created[0]) {
            onNewTopic.accept(topic);
        }
        if (topic.isActive()) {
            made[0].activate();
        }
        if (closed) {
            made[0].end(CloseReason.BROADCASTER_CLOSED); // raced with close()
        }
        return made[0];
    }

    void remove(Subscriber subscriber) {
        BroadcastTopic topic = subscriber.topic;
        LaneQueue queue = subscriber.queue;
        topics.computeIfPresent(topic.name, (key, current) -> {
            if (current != topic) {
                return current;
            }
            queue.subscribers().remove(subscriber);
            if (queue.subscribers().isEmpty()) {
                topic.removeQueue(queue);
            }
            if (--topic.subscribers == 0) {
                topic.removed = true;
                return null;
            }
            return topic;
        });
        lanes.computeIfPresent(queue.lane.executor, (key, lane) -> lane != queue.lane || --lane.users > 0 ? lane : null);
        subscribers.decrementAndGet();
    }

    /** The topics with subscribers, as of now. */
    List<BroadcastTopic> topics() {
        return new ArrayList<>(topics.values());
    }

    boolean hasTopics() {
        return !topics.isEmpty();
    }

    /** The topic {@code name} while it has subscribers. */
    BroadcastTopic topic(String name) {
        return topics.get(name);
    }

    /** Queues {@code bodies}, in order, for every subscriber of {@code topic} (one producer at a time). */
    void deliver(BroadcastTopic topic, List<String> bodies) {
        if (topic.removed || bodies.isEmpty()) {
            return;
        }
        List<BroadcastTopic.Entry> entries = topic.append(bodies);
        metrics.received.increment(entries.size());
        for (LaneQueue queue : topic.queues()) {
            queue.offer(entries);
        }
    }

    private double queued() {
        long sum = 0;
        for (BroadcastTopic topic : topics.values()) {
            for (LaneQueue queue : topic.queues()) {
                sum += queue.pending();
            }
        }
        return sum;
    }

    /** Ends every subscription; later subscribes fail. */
    void close() {
        closed = true;
        for (BroadcastTopic topic : topics()) {
            for (LaneQueue queue : topic.queues()) {
                for (Subscriber subscriber : queue.subscribers()) {
                    subscriber.end(CloseReason.BROADCASTER_CLOSED);
                }
            }
        }
    }
}
