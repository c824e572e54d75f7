package dev.spindle.state.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.state.Subscription;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Subscribers by topic, and delivery to them on their executors. */
final class Topics {

    private static final Logger log = LoggerFactory.getLogger(dev.spindle.state.Broadcaster.class);

    /** One listener of one topic; delivers only messages after {@code fromId} (a stream id; "0-0" for all). */
    final class Listener implements Subscription {
        final String topic;
        final Executor executor;
        final Consumer<String> consumer;
        final String fromId;
        volatile boolean closed;

        Listener(String topic, Executor executor, Consumer<String> consumer, String fromId) {
            this.topic = topic;
            this.executor = executor;
            this.consumer = consumer;
            this.fromId = fromId;
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public void close() {
            closed = true;
            List<Listener> list = byTopic.get(topic);
            if (list != null) {
                list.remove(this);
            }
        }

        void deliver(String id, String message) {
            if (closed || StreamIds.compare(id, fromId) <= 0) {
                return;
            }
            executor.execute(() -> {
                if (closed) {
                    return;
                }
                try {
                    consumer.accept(message);
                } catch (RuntimeException e) {
                    log.warn("A subscriber of topic '{}' failed on a message", topic, e);
                }
            });
        }
    }

    private final ConcurrentHashMap<String, CopyOnWriteArrayList<Listener>> byTopic = new ConcurrentHashMap<>();

    static String checkTopic(String topic) {
        requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic: empty (expected: a non-empty name)");
        }
        return topic;
    }

    Listener add(String topic, Executor executor, Consumer<String> consumer, String fromId) {
        Listener listener = new Listener(topic, requireNonNull(executor, "executor"),
                requireNonNull(consumer, "listener"), fromId);
        byTopic.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
        return listener;
    }

    List<Listener> listeners(String topic) {
        List<Listener> list = byTopic.get(topic);
        return list == null ? List.of() : list;
    }

    java.util.Set<String> topics() {
        return byTopic.keySet();
    }

    void clear() {
        byTopic.values().forEach(list -> list.forEach(listener -> listener.closed = true));
        byTopic.clear();
    }
}
