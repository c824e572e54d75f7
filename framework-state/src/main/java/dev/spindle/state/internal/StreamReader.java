package dev.spindle.state.internal;

import dev.spindle.core.Deadline;
import dev.spindle.http.HealthCheck;
import dev.spindle.state.Broadcaster;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of an instance: {@code XREAD BLOCK} over the streams of every topic subscribed
 * here, on the dedicated connection, from the last entry it delivered, so a reconnect resumes
 * without loss within the backlog. A new topic starts after the newest entry its stream has.
 * Every failure, whatever its cause, leads to a retry with backoff: the reader never stops while
 * there are subscribers. It reports its health and the age of its last successful read.
 */
final class StreamReader {

    private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);
    private static final int COUNT = 512;

    private final LettuceConnection redis;
    private final FanOut fanOut;
    private final UnaryOperator<String> keys;
    private final BroadcastMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private final long blockMillis;
    private final long staleAfterNanos;
    private final int backlog;
    private volatile long lastSuccess;
    private volatile int failures; // in a row
    private volatile String lastFailure = "";
    private volatile double lagSeconds;
    private volatile boolean closed;

    StreamReader(LettuceConnection redis, FanOut fanOut, UnaryOperator<String> keys, BroadcastMetrics metrics,
                 int backlog) {
        this.redis = redis;
        this.fanOut = fanOut;
        this.keys = keys;
        this.metrics = metrics;
        this.backlog = backlog;
        Duration timeout = redis.options().commandTimeout();
        this.blockMillis = Math.max(10, Math.min(500, timeout.toMillis() / 2));
        this.staleAfterNanos = Math.max(TimeUnit.SECONDS.toNanos(2), timeout.multipliedBy(3).toNanos());
        this.lastSuccess = metrics.clock.monotonicTime();
        metrics.gauge("spindle.broadcast.reader.read.age", "Seconds since the reader last read Redis successfully",
                this, StreamReader::readAgeSeconds);
        metrics.gauge("spindle.broadcast.reader.lag", "Age in seconds of the newest message in the last read "
                + "(Redis clock against ours)", this, reader -> reader.lagSeconds);
    }

    /** Starts reading if it is not already (a topic got its first subscriber). */
    void wake() {
        if (!closed && running.compareAndSet(false, true)) {
            lastSuccess = metrics.clock.monotonicTime(); // idle time is not staleness
            schedule(Duration.ZERO);
        }
    }

    private void schedule(Duration delay) {
        try {
            redis.schedule(this::step, delay);
        } catch (RuntimeException closing) { // Lettuce's threads are gone: the connection is closed
            running.set(false);
        }
    }

    private void step() {
        try {
            if (closed) {
                running.set(false);
                return;
            }
            List<BroadcastTopic> topics = fanOut.topics();
            if (topics.isEmpty()) {
                running.set(false);
                lagSeconds = 0;
                if (fanOut.hasTopics()) {
                    wake(); // a subscriber arrived while this stopped
                }
                return;
            }
            List<BroadcastTopic> unknown = topics.stream().filter(topic -> topic.position == null).toList();
            if (unknown.isEmpty()) {
                read(topics);
            } else {
                locate(unknown).whenComplete((done, failure) -> {
                    if (failure != null) {
                        failed(failure);
                    } else {
                        read(fanOut.topics());
                    }
                });
            }
        } catch (RuntimeException | Error e) { // nothing may end the reader while there are subscribers
            failed(e);
        }
    }

    /** Starts new topics after the newest entry their streams have now. */
    private CompletableFuture<Void> locate(List<BroadcastTopic> topics) {
        CompletableFuture<?>[] calls = new CompletableFuture<?>[topics.size()];
        for (int i = 0; i < calls.length; i++) {
            BroadcastTopic topic = topics.get(i);
            calls[i] = redis.call(Deadline.none(), c -> c.xrevrange(keys.apply(topic.name), Range.create("-", "+"),
                    Limit.from(1))).thenAccept(newest -> {
                        topic.position = newest.isEmpty() ? StreamIds.START : newest.get(0).getId();
                        topic.activate();
                    }).toCompletableFuture();
        }
        return CompletableFuture.allOf(calls).thenRun(this::succeeded);
    }

    private void read(List<BroadcastTopic> topics) {
        if (closed) {
            running.set(false);
            return;
        }
        Map<String, BroadcastTopic> byKey = new HashMap<>();
        List<XReadArgs.StreamOffset<String>> offsets = new ArrayList<>();
        for (BroadcastTopic topic : topics) {
            String position = topic.position;
            if (position != null && !topic.removed) {
                String key = keys.apply(topic.name);
                byKey.put(key, topic);
                offsets.add(XReadArgs.StreamOffset.from(key, position));
            }
        }
        if (offsets.isEmpty()) {
            step();
            return;
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        XReadArgs.StreamOffset<String>[] streams = offsets.toArray(new XReadArgs.StreamOffset[0]);
        redis.callDedicated(Deadline.none(), c -> c.xread(XReadArgs.Builder.block(blockMillis).count(COUNT), streams))
                .whenComplete((messages, failure) -> {
                    if (failure != null) {
                        failed(failure);
                        return;
                    }
                    try {
                        succeeded();
                        deliver(messages, byKey);
                    } catch (RuntimeException | Error e) {
                        failed(e);
                        return;
                    }
                    step();
                });
    }

    private void deliver(List<StreamMessage<String, String>> messages, Map<String, BroadcastTopic> byKey) {
        Map<BroadcastTopic, List<String>> batches = new LinkedHashMap<>();
        long newest = 0;
        for (StreamMessage<String, String> message : messages) {
            BroadcastTopic topic = byKey.get(message.getStream());
            if (topic == null) {
                continue;
            }
            topic.position = message.getId();
            newest = Math.max(newest, StreamIds.millis(message.getId()));
            Map<String, String> body = message.getBody();
            String text = body.get(StreamPublisher.MESSAGE);
            if (text == null) {
                continue;
            }
            String publisher = body.get(StreamPublisher.PUBLISHER);
            long seq = sequence(body.get(StreamPublisher.SEQUENCE));
            if (publisher != null && seq >= 0 && !topic.dedupe().firstCopy(publisher, seq)) {
                metrics.duplicates.increment();
                continue;
            }
            batches.computeIfAbsent(topic, t -> new ArrayList<>()).add(text);
        }
        batches.forEach(fanOut::deliver);
        lagSeconds = newest == 0 ? 0 : Math.max(0, metrics.clock.wallTime() - newest) / 1000.0;
    }

    private static long sequence(String raw) {
        try {
            return raw == null ? -1 : Long.parseLong(raw);
        } catch (NumberFormatException e) {
            return -1; // not ours: delivered without the duplicate check
        }
    }

    private void succeeded() {
        lastSuccess = metrics.clock.monotonicTime();
        int failed = failures;
        if (failed > 0) {
            failures = 0;
            log.info("Broadcast reader is back after {} failed attempt(s); it resumed where it stopped", failed);
        }
    }

    private void failed(Throwable failure) {
        if (closed) {
            running.set(false);
            return;
        }
        metrics.readerFailures.increment();
        lastFailure = String.valueOf(RedisFailures.unwrap(failure).getMessage());
        int failed = ++failures;
        if (failed == 1) {
            log.warn("Broadcast reader cannot read Redis ({}); it retries with backoff and misses nothing within the "
                    + "backlog of {} messages per topic", lastFailure, backlog);
        }
        long delay = Math.min(redis.options().reconnectMaxDelay().toMillis(), 50L << Math.min(failed, 5));
        schedule(Duration.ofMillis(delay));
    }

    private double readAgeSeconds() {
        return running.get() ? (metrics.clock.monotonicTime() - lastSuccess) / 1e9 : 0;
    }

    HealthCheck.Result health() {
        long age = metrics.clock.monotonicTime() - lastSuccess;
        if (closed || !running.get() || failures == 0 || age <= staleAfterNanos) {
            return HealthCheck.Result.up();
        }
        return HealthCheck.Result.down("broadcast reader has not read Redis for " + TimeUnit.NANOSECONDS.toMillis(age)
                + " ms (" + failures + " failed attempts; last: " + lastFailure + "); subscribers here miss messages "
                + "until it recovers");
    }

    void close() {
        closed = true;
    }
}
