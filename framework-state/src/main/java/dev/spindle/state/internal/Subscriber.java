package dev.spindle.state.internal;

import dev.spindle.state.Broadcaster;
import dev.spindle.state.Overflow;
import dev.spindle.state.Subscription;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One listener on one topic: what it has been handed, lost and how it ended. */
final class Subscriber implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);

    final BroadcastTopic topic;
    final LaneQueue queue;
    private final FanOut fanOut;
    private final Consumer<String> listener;
    private final Overflow overflow;
    private final long joinedAt;
    private final AtomicBoolean activated = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final CompletableFuture<Void> active = new CompletableFuture<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private boolean warned; // touched on the lane's executor only

    Subscriber(FanOut fanOut, BroadcastTopic topic, LaneQueue queue, Consumer<String> listener, Overflow overflow) {
        this.fanOut = fanOut;
        this.topic = topic;
        this.queue = queue;
        this.listener = listener;
        this.overflow = overflow;
        this.joinedAt = topic.lastSeq();
    }

    @Override
    public String topic() {
        return topic.name;
    }

    @Override
    public CompletionStage<Void> active() {
        return active.minimalCompletionStage();
    }

    @Override
    public CompletionStage<CloseReason> closed() {
        return closed.minimalCompletionStage();
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        end(CloseReason.UNSUBSCRIBED);
    }

    boolean isEnded() {
        return ended.get();
    }

    /** Calls the listener with the messages of {@code batch} that came after it subscribed; returns the calls. */
    int deliver(List<BroadcastTopic.Entry> batch) {
        int calls = 0;
        for (int i = 0; i < batch.size() && !ended.get(); i++) {
            BroadcastTopic.Entry entry = batch.get(i);
            if (entry.seq() <= joinedAt) {
                continue;
            }
            calls++;
            try {
                listener.accept(entry.body());
            } catch (RuntimeException e) {
                fanOut.metrics.listenerFailures.increment();
                if (!warned) {
                    warned = true;
                    log.warn("A subscriber of topic '{}' failed on a message; it stays subscribed (further failures "
                            + "are only counted in spindle.broadcast.listener.failures)", topic.name, e);
                }
            }
        }
        return calls;
    }

    /** The queue dropped its {@code count} oldest messages. */
    void overflowed(int count) {
        if (overflow == Overflow.CLOSE) {
            end(CloseReason.OVERFLOW);
        } else if (!ended.get()) {
            dropped.addAndGet(count);
            fanOut.metrics.dropped.increment(count);
        }
    }

    void activate() {
        if (activated.compareAndSet(false, true)) {
            completeOnExecutor(active, null);
        }
    }

    void end(CloseReason reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        fanOut.remove(this);
        if (reason == CloseReason.OVERFLOW) {
            fanOut.metrics.closedByOverflow.increment();
            log.debug("A subscriber of topic '{}' fell too far behind and was closed", topic.name);
        }
        completeOnExecutor(closed, reason);
    }

    private <T> void completeOnExecutor(CompletableFuture<T> future, T value) {
        Executor executor = queue.lane.executor;
        try {
            executor.execute(() -> future.complete(value));
        } catch (RuntimeException refused) {
            future.complete(value); // no loop left to go back to (stopping, or not started)
        }
    }
}
