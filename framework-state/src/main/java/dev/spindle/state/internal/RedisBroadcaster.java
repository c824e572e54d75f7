package dev.spindle.state.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Deadline;
import dev.spindle.state.Broadcaster;
import dev.spindle.state.Subscription;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broadcast on Redis Streams. Publishing is {@code XADD ... MAXLEN ~ backlog}; one reader per
 * instance runs {@code XREAD BLOCK} over every subscribed topic on a dedicated connection, from
 * the last id it delivered, so a reconnect resumes without loss within the backlog. All topic
 * streams share the {@code {broadcast}} hash tag, so the multi-key {@code XREAD} works on Cluster.
 */
public final class RedisBroadcaster implements Broadcaster {

    private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);
    private static final String FIELD = "m";

    private final LettuceConnection redis;
    private final int backlog;
    private final Supplier<Executor> executors;
    private final Topics topics = new Topics();
    private final Map<String, String> positions = new ConcurrentHashMap<>();
    private final AtomicBoolean reading = new AtomicBoolean();
    private final long blockMillis;
    private volatile boolean closed;
    private int failures;

    public RedisBroadcaster(LettuceConnection redis, int backlog, Supplier<Executor> executors) {
        this.redis = redis;
        this.backlog = backlog;
        this.executors = requireNonNull(executors, "executors");
        this.blockMillis = Math.max(10, Math.min(500, redis.options().commandTimeout().toMillis() / 2));
    }

    private String streamKey(String topic) {
        return redis.key("broadcast:{broadcast}:" + topic);
    }

    @Override
    public CompletionStage<Void> publish(String topic, String message) {
        Topics.checkTopic(topic);
        requireNonNull(message, "message");
        XAddArgs args = XAddArgs.Builder.maxlen(backlog).approximateTrimming();
        return redis.call(Deadline.none(), c -> c.xadd(streamKey(topic), args, FIELD, message)).thenApply(id -> null);
    }

    @Override
    public CompletionStage<Subscription> subscribe(String topic, Consumer<String> listener) {
        return subscribe(topic, executors.get(), listener);
    }

    @Override
    public CompletionStage<Subscription> subscribe(String topic, Executor executor, Consumer<String> listener) {
        Topics.checkTopic(topic);
        requireNonNull(executor, "executor");
        requireNonNull(listener, "listener");
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("The broadcaster is closed"));
        }
        // The subscription starts after the newest message that exists now.
        return redis.call(Deadline.none(), c -> c.xrevrange(streamKey(topic), Range.create("-", "+"),
                io.lettuce.core.Limit.from(1))).thenApply(newest -> {
                    String from = newest.isEmpty() ? StreamIds.START : newest.get(0).getId();
                    positions.putIfAbsent(topic, from);
                    Subscription subscription = topics.add(topic, executor, listener, from);
                    startReading();
                    return subscription;
                });
    }

    private void startReading() {
        if (!closed && reading.compareAndSet(false, true)) {
            read();
        }
    }

    private void read() {
        if (closed) {
            reading.set(false);
            return;
        }
        List<XReadArgs.StreamOffset<String>> offsets = new ArrayList<>();
        for (String topic : topics.topics()) {
            if (!topics.listeners(topic).isEmpty()) {
                offsets.add(XReadArgs.StreamOffset.from(streamKey(topic), positions.get(topic)));
            }
        }
        if (offsets.isEmpty()) {
            reading.set(false);
            if (!topics.topics().isEmpty() && topics.topics().stream().anyMatch(t -> !topics.listeners(t).isEmpty())) {
                startReading(); // a subscription arrived while we were stopping
            }
            return;
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        XReadArgs.StreamOffset<String>[] streams = offsets.toArray(new XReadArgs.StreamOffset[0]);
        redis.callDedicated(Deadline.none(), c -> c.xread(XReadArgs.Builder.block(blockMillis).count(512), streams))
                .whenComplete((messages, failure) -> {
                    if (failure != null) {
                        retry(failure);
                        return;
                    }
                    if (failures > 0) {
                        log.info("Broadcast reader is back after {} failed read(s); resuming from the last delivered "
                                + "message", failures);
                        failures = 0;
                    }
                    if (messages != null) {
                        deliver(messages);
                    }
                    read();
                });
    }

    private void deliver(List<StreamMessage<String, String>> messages) {
        String prefix = redis.key("broadcast:{broadcast}:");
        for (StreamMessage<String, String> message : messages) {
            String topic = message.getStream().substring(prefix.length());
            positions.put(topic, message.getId());
            String body = message.getBody().get(FIELD);
            if (body == null) {
                continue;
            }
            for (Topics.Listener listener : topics.listeners(topic)) {
                listener.deliver(message.getId(), body);
            }
        }
    }

    private void retry(Throwable failure) {
        if (closed) {
            reading.set(false);
            return;
        }
        if (failures++ == 0) {
            log.warn("Broadcast reader lost Redis ({}); retrying, and no message within the backlog of {} will be "
                    + "missed", RedisFailures.unwrap(failure).getMessage(), backlog);
        }
        long delay = Math.min(redis.options().reconnectMaxDelay().toMillis(), 50L << Math.min(failures, 5));
        redis.schedule(this::read, Duration.ofMillis(delay));
    }

    @Override
    public void close() {
        closed = true;
        topics.clear();
    }
}
