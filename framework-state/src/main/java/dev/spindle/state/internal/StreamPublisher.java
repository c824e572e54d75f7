package dev.spindle.state.internal;

import dev.spindle.core.Deadline;
import dev.spindle.state.BroadcastOptions;
import dev.spindle.state.StateUnavailableException;
import io.lettuce.core.XAddArgs;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes published messages to their streams ({@code XADD ... MAXLEN ~ backlog}, then
 * {@code PEXPIRE} so idle topics disappear), each stamped with this publisher's random id and a
 * sequence number that the readers use to drop second copies. The numbers are given out and the
 * commands sent by one thread at a time (whichever publisher finds no one else doing it, no lock),
 * so they reach Redis in their order (one sent from Lettuce's own I/O thread may overtake a few
 * queued writes; the readers' window of sequence numbers tolerates that).
 */
final class StreamPublisher {

    static final String MESSAGE = "m";
    static final String PUBLISHER = "p";
    static final String SEQUENCE = "s";
    private static final int PER_TASK = 256;

    private record Pending(String key, String message, CompletableFuture<Void> done) {}

    private final LettuceConnection redis;
    private final BroadcastMetrics metrics;
    private final XAddArgs trim;
    private final long ttlMillis;
    private final int bound;
    private final String id;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private long sequence; // the draining thread's

    StreamPublisher(LettuceConnection redis, BroadcastOptions options, BroadcastMetrics metrics) {
        this.redis = redis;
        this.metrics = metrics;
        this.trim = XAddArgs.Builder.maxlen(options.backlog()).approximateTrimming();
        this.ttlMillis = options.streamTtl().toMillis();
        this.bound = redis.options().requestQueue();
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.id = HexFormat.of().formatHex(random);
    }

    CompletionStage<Void> publish(String key, String message) {
        if (queued.incrementAndGet() > bound) {
            queued.decrementAndGet();
            metrics.publishFailures.increment();
            return CompletableFuture.failedFuture(new StateUnavailableException(
                    "Too many broadcast messages waiting for Redis (" + bound + "); nothing was published", null));
        }
        Pending pending = new Pending(key, message, new CompletableFuture<>());
        queue.offer(pending);
        drain();
        return pending.done();
    }

    /** Sends what is queued, on this thread, unless another is already doing it; hands a long queue on. */
    private void drain() {
        while (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            int sent = 0;
            try {
                for (Pending next; sent < PER_TASK && (next = queue.poll()) != null; sent++) {
                    queued.decrementAndGet();
                    send(next);
                }
            } finally {
                draining.set(false);
            }
            if (sent == PER_TASK) {
                handOn();
                return;
            }
        }
    }

    private void handOn() {
        try {
            redis.schedule(this::drain, Duration.ZERO);
        } catch (RuntimeException closing) { // Lettuce's threads are gone: the connection is closed
            for (Pending next = queue.poll(); next != null; next = queue.poll()) {
                queued.decrementAndGet();
                next.done().completeExceptionally(new StateUnavailableException("The Redis connection is closed", closing));
            }
        }
    }

    private void send(Pending pending) {
        String seq = Long.toString(++sequence);
        redis.call(Deadline.none(), c -> c.xadd(pending.key(), trim, MESSAGE, pending.message(), PUBLISHER, id,
                SEQUENCE, seq)).whenComplete((streamId, failure) -> {
                    if (failure == null) {
                        metrics.published.increment();
                        pending.done().complete(null);
                    } else {
                        metrics.publishFailures.increment();
                        pending.done().completeExceptionally(new StateUnavailableException("Publishing to Redis failed ("
                                + RedisFailures.unwrap(failure).getMessage() + "); the message may still be delivered, "
                                + "once, if Redis stored it before the failure", failure));
                    }
                });
        // Best effort: a lost PEXPIRE is renewed by the topic's next message.
        redis.call(Deadline.none(), c -> c.pexpire(pending.key(), ttlMillis));
    }
}
