package dev.spindle.state.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.HealthCheck;
import dev.spindle.state.BroadcastOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Broadcast on Redis Streams, one stream per topic: a {@link StreamPublisher} writes them, one
 * {@link StreamReader} per instance follows those with subscribers here, and the fan-out hands
 * what it reads to the subscribers' executors. All topic streams share the {@code {broadcast}}
 * hash tag, so the multi-key {@code XREAD} works on Cluster.
 */
public final class RedisBroadcaster extends BroadcasterBase {

    private final LettuceConnection redis;
    private final StreamPublisher publisher;
    private final StreamReader reader;

    public RedisBroadcaster(LettuceConnection redis, BroadcastOptions options, Supplier<Executor> executors,
                            MeterRegistry registry) {
        super(options, executors, registry);
        this.redis = requireNonNull(redis, "redis");
        this.publisher = new StreamPublisher(redis, options, metrics);
        this.reader = new StreamReader(redis, fanOut, this::streamKey, metrics, options.backlog());
    }

    private String streamKey(String topic) {
        return redis.key("broadcast:{broadcast}:" + topic);
    }

    @Override
    void topicAdded(BroadcastTopic topic) {
        reader.wake();
    }

    @Override
    public CompletionStage<Void> publish(String topic, String message) {
        checkTopic(topic);
        requireNonNull(message, "message");
        if (isClosed()) {
            return closedFailure();
        }
        Executor caller = Callers.loopOr(() -> offLoop);
        return Loops.resume(publisher.publish(streamKey(topic), message), caller);
    }

    @Override
    public HealthCheck healthCheck() {
        return () -> CompletableFuture.completedFuture(reader.health());
    }

    @Override
    public void close() {
        reader.close();
        super.close();
    }
}
