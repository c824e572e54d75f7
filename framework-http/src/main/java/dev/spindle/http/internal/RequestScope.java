package dev.spindle.http.internal;

import dev.spindle.core.Cancellation;
import dev.spindle.core.LoopActivity;
import dev.spindle.core.LoopExecutor;
import dev.spindle.http.TraceContext;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.slf4j.MDC;

/**
 * What one running request owns besides its data: the cancellation signal that its deadline or
 * its client's departure raises and every framework stage subscribes to, the deadline timer, and
 * an executor for its loop that puts the request id, the trace ids and the route in place around
 * every task, so logs and the blocked-loop report name the request after any await.
 */
final class RequestScope implements LoopExecutor {

    final Exchange exchange;
    private final EventExecutor loop;
    private DefaultContext context;
    private static final AtomicReferenceFieldUpdater<RequestScope, Cancellation> CANCELLATION =
            AtomicReferenceFieldUpdater.newUpdater(RequestScope.class, Cancellation.class, "cancellation");

    /** Volatile, with {@link #cancelled}: a stage may subscribe from another thread (a Redis client's). */
    private volatile Cancellation cancellation;
    private volatile boolean cancelled;
    private ScheduledFuture<?> deadlineTimer;
    private boolean tracing;

    RequestScope(Exchange exchange, EventExecutor loop) {
        this.exchange = exchange;
        this.loop = loop;
    }

    void context(DefaultContext context) {
        this.context = context;
    }

    DefaultContext context() {
        return context;
    }

    EventExecutor loop() {
        return loop;
    }

    @Override
    public boolean inEventLoop() {
        return loop.inEventLoop();
    }

    /** Runs {@code task} on the request's loop, inside the request's logging and monitoring context. */
    @Override
    public void execute(Runnable task) {
        loop.execute(() -> run(task));
    }

    /** Runs {@code task} now, inside the request's logging and monitoring context. */
    void run(Runnable task) {
        enter();
        try {
            task.run();
        } finally {
            exit();
        }
    }

    void enter() {
        RequestMdc.enter(exchange.requestId());
        LoopActivity.enter(exchange.entry().template(), exchange.requestId());
        TraceContext trace = context == null ? null : context.traceOrNull();
        if (trace != null) {
            tracing = true;
            MDC.put(TraceContext.MDC_TRACE_ID, trace.traceId());
            MDC.put(TraceContext.MDC_SPAN_ID, trace.spanId());
        }
    }

    void exit() {
        if (tracing) {
            tracing = false;
            MDC.put(TraceContext.MDC_TRACE_ID, "-");
            MDC.put(TraceContext.MDC_SPAN_ID, "-");
        }
        LoopActivity.exit();
        RequestMdc.exit();
    }

    /** The request's cancellation signal, created on first use (most requests never need one), on any thread. */
    Cancellation cancellation() {
        Cancellation signal = cancellation;
        if (signal == null) {
            Cancellation created = Cancellation.create();
            signal = CANCELLATION.compareAndSet(this, null, created) ? created : cancellation;
            if (cancelled) {
                signal.cancel(); // cancel() ran before the signal existed: a no-op if it saw it after all
            }
        }
        return signal;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Stops the request's work: every stage that subscribed gives up (offload, blocking, delay, outbound). */
    void cancel() {
        disarm();
        if (!cancelled) {
            cancelled = true;
            Cancellation signal = cancellation;
            if (signal != null) {
                run(signal::cancel);
            }
        }
    }

    void arm(Runnable onDeadline) {
        if (deadlineTimer == null && !exchange.answered()) {
            deadlineTimer = loop.schedule(onDeadline, Math.max(0, exchange.deadlineNanos - System.nanoTime()),
                    java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** The request was answered: its deadline no longer matters. */
    void disarm() {
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
            deadlineTimer = null;
        }
    }

    void deadlineFired() {
        deadlineTimer = null;
    }
}
