package dev.spindle.http.internal.sse;

import dev.spindle.http.internal.ConnectionHooks;
import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.SseEvent;
import dev.spindle.http.SseOptions;
import dev.spindle.http.SseSink;
import dev.spindle.http.internal.LongLivedConnections;
import dev.spindle.http.internal.OnLoop;
import dev.spindle.http.internal.OutboundQueue;
import io.netty.util.concurrent.EventExecutor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSE stream: the sink the endpoint feeds and the publisher of the response body, which the
 * response writer pulls from only while the client keeps up. Events wait in a queue bounded in
 * bytes meanwhile. States: {@code OPEN} → {@code ENDING} (closed, draining or overflowed: what is
 * queued still goes, then the body ends) → {@code CLOSED}. Confined to the request's event loop.
 */
final class SseStream implements SseSink, Flow.Publisher<ByteBuffer>, Flow.Subscription, LongLivedConnections.Member {

    private static final Logger log = LoggerFactory.getLogger(SseStream.class);
    /** Queued events are written together up to this many bytes per chunk. */
    private static final int BATCH_BYTES = 16 << 10;
    /** On shutdown, a client that does not take its last events within this long is cut off. */
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private enum State { OPEN, ENDING, CLOSED }

    private final Context ctx;
    private final EventExecutor loop;
    private final SseOptions options;
    private final SseMeters meters;
    private final LongLivedConnections longLived;
    private final OutboundQueue<byte[]> queue;
    private final List<Runnable> closeActions = new ArrayList<>(2);
    private final String lastEventId;
    private Flow.Subscriber<? super ByteBuffer> subscriber;
    private State state = State.OPEN;
    private String endReason = "closed";
    private long demand;
    private boolean quiet = true;
    private boolean registered;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> unclaimedTimer;
    private volatile boolean open = true;
    private volatile long dropped;

    SseStream(Context ctx, SseOptions options, SseMeters meters, LongLivedConnections longLived) {
        this.ctx = ctx;
        this.loop = ConnectionHooks.loop(ctx);
        this.options = options;
        this.meters = meters;
        this.longLived = longLived;
        this.lastEventId = ctx.header("Last-Event-ID").orElse(null);
        this.queue = new OutboundQueue<>(options.maxQueuedBytes(), options.overflow(), event -> meters.dropped.increment());
        // Middleware may answer with something else than this stream (an error, a redirect): then
        // nothing ever subscribes, and once the request's deadline has passed nothing will.
        long unclaimed = ctx.deadline().isUnbounded() ? 0 : ctx.deadline().remainingNanos();
        if (unclaimed > 0) {
            unclaimedTimer = loop.schedule(() -> {
                if (subscriber == null) {
                    finish("unused");
                }
            }, unclaimed + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        }
        options.retry().ifPresent(retry -> {
            byte[] field = SseFormat.retry(retry.toMillis());
            queue.offer(field, field.length);
        });
    }

    // ---- the response body ----

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> body) {
        onLoop(() -> {
            if (subscriber != null) {
                body.onSubscribe(this);
                body.onError(new IllegalStateException("An SSE stream has one subscriber"));
                return;
            }
            subscriber = body;
            if (unclaimedTimer != null) {
                unclaimedTimer.cancel(false);
            }
            meters.open.incrementAndGet();
            registered = longLived.add(this);
            if (!registered) {
                ending("shutdown");
            }
            long every = options.heartbeat().toNanos();
            if (every > 0 && state == State.OPEN) {
                heartbeat = loop.scheduleAtFixedRate(this::heartbeat,
                        every, every, TimeUnit.NANOSECONDS);
            }
            body.onSubscribe(this);
            emit();
        });
    }

    @Override
    public void request(long n) {
        onLoop(() -> {
            demand += n;
            emit();
        });
    }

    /** The client went away (or the writer failed). */
    @Override
    public void cancel() {
        onLoop(() -> finish("client"));
    }

    // ---- the sink ----

    @Override
    public void send(String data) {
        byte[] event = SseFormat.data(requireNonNull(data, "data"));
        onLoop(() -> offer(event, true));
    }

    @Override
    public void send(SseEvent event) {
        byte[] encoded = SseFormat.event(requireNonNull(event, "event"));
        onLoop(() -> offer(encoded, true));
    }

    @Override
    public void comment(String text) {
        byte[] encoded = SseFormat.comment(requireNonNull(text, "text"));
        onLoop(() -> offer(encoded, false));
    }

    @Override
    public Optional<String> lastEventId() {
        return Optional.ofNullable(lastEventId);
    }

    @Override
    public void close() {
        onLoop(() -> ending("closed"));
    }

    @Override
    public void onClose(Runnable action) {
        requireNonNull(action, "action");
        onLoop(() -> {
            if (state == State.CLOSED) {
                runQuietly(action);
            } else {
                closeActions.add(action);
            }
        });
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public Executor executor() {
        return loop;
    }

    /** The server is draining: the shutdown event (if any) goes last, then the stream ends. */
    @Override
    public void drain() {
        onLoop(() -> {
            if (state == State.OPEN) {
                options.shutdownEvent().ifPresent(event -> {
                    byte[] last = SseFormat.event(event);
                    queue.clear();
                    queue.offer(last, last.length);
                });
                ending("shutdown");
                if (state == State.ENDING) {
                    loop.schedule(this::cutOff, DRAIN_TIMEOUT_NANOS,
                            TimeUnit.NANOSECONDS);
                }
            }
        });
    }

    /** Shutting down and the client still has not read its last events: end the connection. */
    private void cutOff() {
        if (state == State.ENDING && subscriber != null) {
            Flow.Subscriber<? super ByteBuffer> body = subscriber;
            finish("shutdown");
            body.onError(new java.io.IOException("The SSE client did not read its last events within "
                    + TimeUnit.NANOSECONDS.toMillis(DRAIN_TIMEOUT_NANOS) + " ms of shutdown"));
        }
    }

    // ---- on the loop ----

    private void onLoop(Runnable task) {
        if (!OnLoop.runUnlessShutDown(loop, task)) {
            log.debug("An SSE event was not sent: the event loop is shutting down");
        }
    }

    private void offer(byte[] event, boolean counted) {
        if (state != State.OPEN) {
            return;
        }
        quiet = false;
        OutboundQueue.Outcome outcome = queue.offer(event, event.length);
        dropped = queue.dropped();
        if (outcome == OutboundQueue.Outcome.OVERFLOW) {
            log.debug("SSE client {} on {} reads too slowly ({} bytes queued); ending its stream", ctx.remoteAddress(),
                    ctx.route(), queue.bytes());
            queue.clear();
            ending("overflow");
            return;
        }
        if (counted) {
            meters.events.increment();
        }
        emit();
    }

    private void heartbeat() {
        if (state == State.OPEN && quiet && queue.isEmpty()) {
            queue.offer(SseFormat.HEARTBEAT, SseFormat.HEARTBEAT.length);
            emit();
        }
        quiet = true;
    }

    private void ending(String reason) {
        if (state == State.OPEN) {
            state = State.ENDING;
            endReason = reason;
            open = false;
            emit();
        }
    }

    /** Hands queued events to the writer as far as it asked, and ends the body once an ending stream is empty. */
    private void emit() {
        if (subscriber == null || state == State.CLOSED) {
            return;
        }
        while (demand > 0 && !queue.isEmpty()) {
            demand--;
            subscriber.onNext(batch());
        }
        if (state == State.ENDING && queue.isEmpty()) {
            Flow.Subscriber<? super ByteBuffer> body = subscriber;
            finish(endReason);
            body.onComplete();
        }
    }

    private ByteBuffer batch() {
        int first = queue.peekSize();
        if (first >= BATCH_BYTES || first == (int) queue.bytes()) {
            return ByteBuffer.wrap(queue.poll());
        }
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(queue.bytes(), BATCH_BYTES));
        int size;
        while ((size = queue.peekSize()) >= 0 && size <= chunk.remaining()) {
            chunk.put(queue.poll());
        }
        return chunk.flip();
    }

    private void finish(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        open = false;
        queue.clear();
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (subscriber != null) {
            meters.open.decrementAndGet();
            meters.closed(reason);
        }
        if (registered) {
            longLived.remove(this);
        }
        for (Runnable action : closeActions) {
            runQuietly(action);
        }
        closeActions.clear();
    }

    private void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (Throwable failure) {
            log.warn("A close action of the SSE stream on {} failed", ctx.route(), failure);
        }
    }
}
