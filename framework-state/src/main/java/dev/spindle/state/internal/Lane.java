package dev.spindle.state.internal;

import dev.spindle.state.Broadcaster;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery to the subscribers of one executor (an event loop, usually): at most one task queued
 * on it at a time, which serves every topic with messages waiting, so a thousand subscribers on a
 * loop cost one task per batch, not one per message per subscriber. An executor that refuses the
 * task (an app not started yet, a loop shutting down) is asked again later with backoff while the
 * queues stay bounded; a refusal never reaches the reader or the publisher.
 */
final class Lane {

    private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);
    private static final int CALLS_PER_TASK = 4096;
    private static final long MAX_RETRY_MILLIS = 1000;

    final Executor executor;
    /** Subscribers using this lane; changed under FanOut's map of lanes. */
    volatile int users;
    private final BroadcastMetrics metrics;
    private final Queue<LaneQueue> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean retrying = new AtomicBoolean();
    private final AtomicInteger refusals = new AtomicInteger();
    private final List<BroadcastTopic.Entry> batch = new ArrayList<>(); // used only by the running task
    private final Runnable drain = this::drain;

    Lane(Executor executor, BroadcastMetrics metrics) {
        this.executor = executor;
        this.metrics = metrics;
    }

    /** {@code queue} has messages: serve it in the next task. */
    void ready(LaneQueue queue) {
        ready.offer(queue);
        schedule();
    }

    private void schedule() {
        if (ready.isEmpty() || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(drain);
        } catch (RuntimeException | Error e) { // whatever an executor throws, the producer carries on
            scheduled.set(false);
            refused(e);
        }
    }

    private void drain() {
        try {
            int streak = refusals.getAndSet(0);
            if (streak > 0) {
                log.info("Broadcast delivery resumed on an executor that had refused it {} time(s)", streak);
            }
            int budget = CALLS_PER_TASK;
            LaneQueue queue;
            while (budget > 0 && (queue = ready.poll()) != null) {
                int calls = queue.drain(batch, budget);
                metrics.delivered.increment(calls);
                budget -= Math.max(1, calls);
            }
        } finally {
            batch.clear();
            scheduled.set(false);
            schedule(); // what arrived meanwhile, or what the budget left, in a task of its own
        }
    }

    private void refused(Throwable failure) {
        metrics.refused.increment();
        if (users == 0) {
            ready.clear(); // every subscriber here has gone: nothing left to retry for
            return;
        }
        int streak = refusals.incrementAndGet();
        if (streak == 1) {
            LaneQueue waiting = ready.peek();
            log.warn("An executor refused broadcast delivery{} ({}); its messages wait, up to the subscriber queue "
                    + "bound, and delivery is retried", waiting == null ? "" : " for topic '" + waiting.topic.name + "'",
                    failure.toString());
        }
        if (retrying.compareAndSet(false, true)) {
            long delay = Math.min(MAX_RETRY_MILLIS, 10L << Math.min(streak, 7));
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
                retrying.set(false);
                schedule();
            });
        }
    }
}
