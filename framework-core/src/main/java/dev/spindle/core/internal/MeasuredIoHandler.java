package dev.spindle.core.internal;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * Wraps a transport's I/O handler to learn how long its loop sits idle (blocked in
 * {@code epoll_wait} with nothing to do): the time inside {@code run} minus the active I/O time
 * the transport reports. The rest of the wall time is the loop's busy time, so utilisation costs
 * two clock reads per loop iteration, not per request. Confined to its loop thread.
 */
public final class MeasuredIoHandler implements IoHandler {

    private static final FastThreadLocal<MeasuredIoHandler> CURRENT = new FastThreadLocal<>();

    private final IoHandler delegate;
    private final Context context = new Context();
    private long idleNanos;

    private MeasuredIoHandler(IoHandler delegate) {
        this.delegate = delegate;
    }

    /** A factory whose handlers are measured. */
    public static IoHandlerFactory wrap(IoHandlerFactory factory) {
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor ioExecutor) {
                return new MeasuredIoHandler(factory.newHandler(ioExecutor));
            }

            @Override
            public boolean isChangingThreadSupported() {
                return factory.isChangingThreadSupported();
            }
        };
    }

    /** The calling loop's handler, or null off the loops. */
    public static MeasuredIoHandler current() {
        return CURRENT.getIfExists();
    }

    /** Idle nanoseconds since the last call; call from the loop thread. */
    public long takeIdleNanos() {
        long idle = idleNanos;
        idleNanos = 0;
        return idle;
    }

    @Override
    public void initialize() {
        CURRENT.set(this);
        delegate.initialize();
    }

    @Override
    public int run(IoHandlerContext outer) {
        context.outer = outer;
        context.activeNanos = 0;
        long start = System.nanoTime();
        int handled = delegate.run(context);
        idleNanos += Math.max(0, System.nanoTime() - start - context.activeNanos);
        return handled;
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(handle);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }

    /** Passes the loop's context through and collects the reported active I/O time. */
    private static final class Context implements IoHandlerContext {

        IoHandlerContext outer;
        long activeNanos;

        @Override
        public boolean canBlock() {
            return outer.canBlock();
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return outer.delayNanos(currentTimeNanos);
        }

        @Override
        public long deadlineNanos() {
            return outer.deadlineNanos();
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            return true;
        }

        @Override
        public void reportActiveIoTime(long activeNanos) {
            this.activeNanos += activeNanos;
            if (outer.shouldReportActiveIoTime()) {
                outer.reportActiveIoTime(activeNanos);
            }
        }
    }
}
