package dev.spindle.state.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.state.Broadcaster;
import dev.spindle.state.Subscription;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The in-memory twin: delivery within this process, numbered like stream ids so ordering rules match. */
public final class MemoryBroadcaster implements Broadcaster {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Supplier<Executor> executors;
    private final Topics topics = new Topics();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean closed;

    public MemoryBroadcaster(Supplier<Executor> executors) {
        this.executors = requireNonNull(executors, "executors");
    }

    @Override
    public CompletionStage<Void> publish(String topic, String message) {
        Topics.checkTopic(topic);
        requireNonNull(message, "message");
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("The broadcaster is closed"));
        }
        synchronized (this) { // one order for everyone, as a stream would have
            String id = "0-" + sequence.incrementAndGet();
            for (Topics.Listener listener : topics.listeners(topic)) {
                listener.deliver(id, message);
            }
        }
        return DONE;
    }

    @Override
    public CompletionStage<Subscription> subscribe(String topic, Consumer<String> listener) {
        return subscribe(topic, executors.get(), listener);
    }

    @Override
    public CompletionStage<Subscription> subscribe(String topic, Executor executor, Consumer<String> listener) {
        Topics.checkTopic(topic);
        synchronized (this) {
            return CompletableFuture.completedFuture(
                    topics.add(topic, executor, listener, "0-" + sequence.get()));
        }
    }

    @Override
    public void close() {
        closed = true;
        topics.clear();
    }
}
