package dev.spindle.state;

import dev.spindle.state.internal.LettuceConnection;
import dev.spindle.state.internal.MemoryBroadcaster;
import dev.spindle.state.internal.RedisBroadcaster;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Messages to every instance: a message published to a topic on any instance reaches each
 * subscriber of that topic on every instance, in publishing order, on the subscriber's executor
 * (an event loop of the app by default, one per subscription).
 *
 * <p><b>Delivery guarantee (Redis).</b> Topics are Redis Streams capped at
 * {@code broadcast.backlog} messages (10,000 by default), read by one dedicated connection per
 * instance from the last id it saw. A subscriber receives every message published after its
 * {@link #subscribe} stage completed, exactly once and in order, including messages published
 * while its instance was briefly disconnected from Redis: after the reconnect it resumes where it
 * stopped. It misses messages only if more than the backlog were published while it was away, if
 * Redis lost them (a restart without persistence), or if its instance was down. A
 * {@link #publish} that fails (Redis unavailable) was not delivered to anyone.
 *
 * <p>The in-memory twin delivers within the one process, with the same ordering.
 *
 * <pre>{@code
 * state.broadcaster().subscribe("prices", price -> sse.send(price));
 * state.broadcaster().publish("prices", "{\"sku\":\"A1\",\"cents\":1299}");
 * }</pre>
 */
public interface Broadcaster extends AutoCloseable {

    /**
     * Broadcast over Redis Streams keeping {@code backlog} messages per topic; {@code executors}
     * gives each new subscription its default executor.
     */
    static Broadcaster redis(RedisConnection redis, int backlog, Supplier<Executor> executors) {
        return new RedisBroadcaster(LettuceConnection.of(redis), backlog, executors);
    }

    /** Broadcast within this process; {@code executors} gives each new subscription its default executor. */
    static Broadcaster inMemory(Supplier<Executor> executors) {
        return new MemoryBroadcaster(executors);
    }

    /** Publishes {@code message} to {@code topic}; completes once Redis has stored it. */
    CompletionStage<Void> publish(String topic, String message);

    /** Subscribes {@code listener} on a default executor (one thread, so in order). */
    CompletionStage<Subscription> subscribe(String topic, Consumer<String> listener);

    /** Subscribes {@code listener}, which runs on {@code executor}; a single-threaded one keeps the order. */
    CompletionStage<Subscription> subscribe(String topic, Executor executor, Consumer<String> listener);

    /** Stops delivering. */
    @Override
    void close();
}
