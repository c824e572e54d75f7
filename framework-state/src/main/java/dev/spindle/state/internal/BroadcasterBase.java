package dev.spindle.state.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.state.BroadcastOptions;
import dev.spindle.state.Broadcaster;
import dev.spindle.state.Overflow;
import dev.spindle.state.Subscription;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** What the Redis broadcaster and its in-memory twin share: subscribing, and fan-out to subscribers. */
abstract class BroadcasterBase implements Broadcaster {

    final BroadcastOptions options;
    final BroadcastMetrics metrics;
    final FanOut fanOut;
    /** Where stages complete for callers off the event loops. */
    final Executor offLoop;
    private final Supplier<Executor> executors;
    private volatile boolean closed;

    BroadcasterBase(BroadcastOptions options, Supplier<Executor> executors, MeterRegistry registry) {
        this.options = requireNonNull(options, "options");
        this.executors = requireNonNull(executors, "executors");
        this.metrics = new BroadcastMetrics(requireNonNull(registry, "registry"));
        this.fanOut = new FanOut(options.subscriberQueue(), metrics, this::topicAdded);
        Executor[] chosen = new Executor[1];
        this.offLoop = Callers.orInPlace(task -> {
            if (chosen[0] == null) {
                chosen[0] = executors.get(); // the app's loops exist only once it has started
            }
            chosen[0].execute(task);
        });
    }

    /** A topic got its first subscriber here. */
    abstract void topicAdded(BroadcastTopic topic);

    static String checkTopic(String topic) {
        requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic: empty (expected: a non-empty name)");
        }
        return topic;
    }

    boolean isClosed() {
        return closed;
    }

    <T> CompletionStage<T> closedFailure() {
        return CompletableFuture.failedFuture(new IllegalStateException("The broadcaster is closed"));
    }

    @Override
    public Subscription subscribe(String topic, Consumer<String> listener) {
        return subscribe(topic, Callers.loopOr(executors), options.overflow(), listener);
    }

    @Override
    public Subscription subscribe(String topic, Executor executor, Consumer<String> listener) {
        return subscribe(topic, executor, options.overflow(), listener);
    }

    @Override
    public Subscription subscribe(String topic, Executor executor, Overflow overflow, Consumer<String> listener) {
        checkTopic(topic);
        requireNonNull(executor, "executor");
        requireNonNull(overflow, "overflow");
        requireNonNull(listener, "listener");
        return fanOut.subscribe(topic, executor, overflow, listener);
    }

    @Override
    public void close() {
        closed = true;
        fanOut.close();
    }
}
