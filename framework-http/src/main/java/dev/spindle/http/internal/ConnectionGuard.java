package dev.spindle.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sits before the HTTP codec and watches raw reads: a request whose line and headers take longer
 * than the header-read timeout (a slow or Slowloris client) is answered 408 by the dispatcher and
 * closed; a connection that sends nothing at all, or sits idle between requests, is closed
 * quietly. One timer per connection ticks at a fraction of the shortest timeout and time is
 * counted in its ticks, so requests cost neither scheduling nor a clock read here.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    /** Fired down the pipeline when a request's headers are late; the dispatcher answers 408. */
    static final Object HEADERS_LATE = new Object() {
        @Override
        public String toString() {
            return "HEADERS_LATE";
        }
    };

    private final long headerTimeoutNanos;
    private final long idleTimeoutNanos;
    private boolean busy;
    private boolean awaitingHeaders;
    private boolean sawBytes;
    private boolean bytesWhileBusy;
    private long ticks;
    private long since;
    private long tickNanos;
    private ScheduledFuture<?> timer;

    ConnectionGuard(ServerContext server) {
        this.headerTimeoutNanos = server.headerReadTimeoutNanos;
        this.idleTimeoutNanos = server.idleTimeoutNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitingHeaders = true;
        tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(TimeUnit.SECONDS.toNanos(1), Math.min(headerTimeoutNanos, idleTimeoutNanos) / 5));
        timer = ctx.executor().scheduleAtFixedRate(() -> check(ctx), tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    /** Taken out when the connection switches to HTTP/2: the timer must stop with it. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (busy) {
            bytesWhileBusy = true;
        } else if (!awaitingHeaders) {
            awaitingHeaders = true;
            since = ticks;
        }
        sawBytes = true;
        ctx.fireChannelRead(msg);
    }

    /** The dispatcher got a request's headers. */
    void requestStarted() {
        busy = true;
        awaitingHeaders = false;
        bytesWhileBusy = false;
    }

    /**
     * The dispatcher answered and has nothing queued. Bytes that arrived meanwhile without
     * becoming a request are the start of one: its header clock starts now; otherwise the
     * connection is idle from now.
     */
    void requestFinished() {
        busy = false;
        awaitingHeaders = bytesWhileBusy;
        sawBytes = bytesWhileBusy;
        bytesWhileBusy = false;
        since = ticks;
    }

    private void check(ChannelHandlerContext ctx) {
        ticks++;
        if (busy || !ctx.channel().isActive()) {
            return;
        }
        long waited = (ticks - since) * tickNanos;
        if (awaitingHeaders && waited > headerTimeoutNanos) {
            if (sawBytes) {
                busy = true;
                ctx.fireUserEventTriggered(HEADERS_LATE);
            } else {
                ctx.close();
            }
        } else if (!awaitingHeaders && waited > idleTimeoutNanos) {
            ctx.close();
        }
    }
}
