package dev.spindle.state.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.HealthCheck;
import dev.spindle.state.BroadcastOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The in-memory twin: publishes are put in one order, as a stream would, by whichever publisher
 * finds no one else doing it (no lock), and fanned out to the subscribers of this process with the
 * same queues and bounds as the Redis broadcaster.
 */
public final class MemoryBroadcaster extends BroadcasterBase {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private record Pending(String topic, String message) {}

    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    public MemoryBroadcaster(BroadcastOptions options, Supplier<Executor> executors, MeterRegistry registry) {
        super(options, executors, registry);
    }

    @Override
    void topicAdded(BroadcastTopic topic) {
        topic.activate();
    }

    @Override
    public CompletionStage<Void> publish(String topic, String message) {
        checkTopic(topic);
        requireNonNull(message, "message");
        if (isClosed()) {
            return closedFailure();
        }
        pending.offer(new Pending(topic, message));
        while (!pending.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Pending next;
                while ((next = pending.poll()) != null) {
                    metrics.published.increment();
                    BroadcastTopic subscribed = fanOut.topic(next.topic());
                    if (subscribed != null) {
                        fanOut.deliver(subscribed, List.of(next.message()));
                    }
                }
            } finally {
                draining.set(false);
            }
        }
        return DONE;
    }

    @Override
    public HealthCheck healthCheck() {
        return () -> CompletableFuture.completedFuture(HealthCheck.Result.up());
    }
}
