package dev.spindle.state;

import dev.spindle.http.Context;
import dev.spindle.http.HealthCheck;
import dev.spindle.state.internal.CallScope;
import dev.spindle.state.internal.LettuceConnection;
import dev.spindle.state.internal.MemoryBroadcaster;
import dev.spindle.state.internal.RedisBroadcaster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Messages to every instance: a message published to a topic on any instance reaches each
 * subscriber of that topic on every instance, in order, on the subscriber's executor (an event
 * loop of the app by default). Built for fan-out to many WebSocket or SSE clients: subscribers on
 * one executor are served together, a batch of messages per task, never a task per message per
 * subscriber, and each subscriber's backlog is bounded ({@link Overflow}).
 *
 * <p><b>Delivery guarantee: exactly once per publish, by design.</b> Topics are Redis Streams of
 * at most {@code broadcast.backlog} messages, deleted {@code broadcast.stream-ttl} after their last
 * message; one reader per instance follows them from the last entry it saw. Each message carries
 * its publisher's id and sequence number, and the reader drops any second copy (the one a
 * client library re-sends after a reconnect), so a subscriber never receives a message twice.
 * A publish that <em>completes</em> reaches every subscriber active when it was stored
 * ({@link Subscription#active()}), including across a reconnect of either instance to Redis,
 * unless: more than the backlog was published while this instance could not read; Redis lost it
 * (a restart without persistence, a failover to a lagging replica); the subscriber's queue
 * overflowed ({@link Overflow}, counted); or an instance was down. A publish that <em>fails</em>
 * is in doubt: Redis may have stored it before the reply was lost (a timeout, a dropped
 * connection), so it may still be delivered, once; retrying it may deliver it twice.
 * The in-memory twin delivers within one process with the same ordering and bounds.
 *
 * <p>Listeners run on their subscription's executor, one message at a time, in order; one that
 * throws is logged and counted and keeps its subscription. Delivery to an executor that refuses
 * work (an app not started yet, a loop shutting down) is retried, with the queue bound applying
 * meanwhile; it never stops delivery to anyone else. Metrics: {@code spindle.broadcast.*}.
 *
 * <pre>{@code
 * Subscription prices = state.broadcaster().subscribe("prices", price -> sse.send(price));
 * state.broadcaster().publish("prices", "{\"sku\":\"A1\",\"cents\":1299}");
 * prices.close();
 * }</pre>
 */
public interface Broadcaster extends AutoCloseable {

    /**
     * Broadcast over Redis Streams; {@code executors} gives each subscription that names none its
     * executor; metrics go to {@code registry}.
     */
    static Broadcaster redis(RedisConnection redis, BroadcastOptions options, Supplier<Executor> executors,
                             MeterRegistry registry) {
        return new RedisBroadcaster(LettuceConnection.of(redis), options, executors, registry);
    }

    /** As {@link #redis(RedisConnection, BroadcastOptions, Supplier, MeterRegistry)} with the default options. */
    static Broadcaster redis(RedisConnection redis, int backlog, Supplier<Executor> executors) {
        return redis(redis, BroadcastOptions.defaults().backlog(backlog), executors, new SimpleMeterRegistry());
    }

    /** Broadcast within this process; {@code executors} gives each subscription that names none its executor. */
    static Broadcaster inMemory(BroadcastOptions options, Supplier<Executor> executors, MeterRegistry registry) {
        return new MemoryBroadcaster(options, executors, registry);
    }

    /** As {@link #inMemory(BroadcastOptions, Supplier, MeterRegistry)} with the default options. */
    static Broadcaster inMemory(Supplier<Executor> executors) {
        return inMemory(BroadcastOptions.defaults(), executors, new SimpleMeterRegistry());
    }

    /**
     * Publishes {@code message} to {@code topic}. Completes once Redis has stored it, on the
     * caller's event loop (or, off the loops, on a delivery executor); fails with
     * {@link StateUnavailableException} when Redis is unavailable (see the guarantee above).
     */
    CompletionStage<Void> publish(String topic, String message);

    /**
     * Publishes for a request, as {@link #publish(String, String)} does, completing on the
     * request's loop with its logging context. Once the request is cancelled (its client got the
     * deadline's 503, or left) nothing more is published for it, and a pending publish fails at
     * once with a {@link java.util.concurrent.CancellationException}, so nothing chained on it runs
     * for a request nobody waits for (a message already handed to Redis may still be delivered).
     *
     * <pre>{@code
     * app.post("/prices", ctx -> broadcaster.publish(ctx, "prices", ctx.bodyText())
     *         .thenApply(done -> Response.text("published")));
     * }</pre>
     */
    default CompletionStage<Void> publish(Context ctx, String topic, String message) {
        CallScope scope = CallScope.of(ctx);
        if (scope.isCancelled()) {
            return CompletableFuture.failedFuture(CallScope.cancelled());
        }
        return scope.resume(publish(topic, message));
    }

    /** Subscribes {@code listener} on a default executor with the default overflow policy. */
    Subscription subscribe(String topic, Consumer<String> listener);

    /** Subscribes {@code listener} to run on {@code executor} (a single-threaded one keeps the order). */
    Subscription subscribe(String topic, Executor executor, Consumer<String> listener);

    /** Subscribes {@code listener} to run on {@code executor}, with {@code overflow} when it falls behind. */
    Subscription subscribe(String topic, Executor executor, Overflow overflow, Consumer<String> listener);

    /**
     * Down while the reader has been unable to read Redis for a while (up otherwise, and always in
     * memory): subscribers on this instance are missing messages. Meant for a health group of its
     * own rather than readiness: taking instances out of rotation does not bring Redis back.
     */
    HealthCheck healthCheck();

    /** Stops delivering; every subscription ends with {@link Subscription.CloseReason#BROADCASTER_CLOSED}. */
    @Override
    void close();
}
