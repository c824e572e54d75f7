package dev.spindle.http.internal.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2PingFrame;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an HTTP/2 connection. Once added it takes the HTTP/1.1 handlers out,
 * widens the connection's flow-control window, and from then on closes the connection (with
 * {@code GOAWAY}) when it has had no open stream for the idle timeout, and runs the two-step
 * graceful shutdown of {@link #drain()}. Protocol errors (rapid reset, floods, malformed frames)
 * are logged at DEBUG only: an attacker must not flood the log.
 */
final class ConnectionWatch extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionWatch.class);
    /** The payload of the PING that follows the first GOAWAY of a drain ("SPINDLE!"). */
    static final long DRAIN_PING = 0x5350494e444c4521L;

    private final Http1Handlers http1;
    private final Http2Metrics metrics;
    private final long idleTimeoutNanos;
    private final int connectionWindow;
    /** How long the drain waits for its PING's acknowledgement before it sends the final GOAWAY anyway. */
    private final long drainPingTimeoutNanos;
    /** The server's count of draining HTTP/2 connections: this one is in it from {@link #drain()} to its close. */
    private final AtomicInteger drainingConnections;
    private Http2Connection connection;
    private ScheduledFuture<?> timer;
    private long tickNanos;
    private long idleTicks;
    private boolean counted;
    private ChannelHandlerContext ctx;
    private boolean draining;
    /** Whether this connection is in {@link #drainingConnections}. */
    private boolean countedDraining;
    private ScheduledFuture<?> drainWait;

    ConnectionWatch(Http1Handlers http1, Http2Metrics metrics, long idleTimeoutNanos, int connectionWindow,
            long drainPingTimeoutNanos, AtomicInteger drainingConnections) {
        this.http1 = http1;
        this.metrics = metrics;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.connectionWindow = connectionWindow;
        this.drainPingTimeoutNanos = drainPingTimeoutNanos;
        this.drainingConnections = drainingConnections;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        http1.removeFrom(ctx.pipeline());
        Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
        connection = codec.connection();
        int increment = connectionWindow - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
        if (increment > 0) {
            ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(increment), ctx.voidPromise());
        }
        counted = true;
        metrics.opened();
        tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), idleTimeoutNanos / 5));
        timer = ctx.executor().scheduleAtFixedRate(() -> check(ctx), tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (draining && msg instanceof Http2PingFrame ping && ping.ack() && ping.content() == DRAIN_PING) {
            finishDrain();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Graceful shutdown in two steps (RFC 9113 6.8), so that no request already on the wire is
     * lost: a first {@code GOAWAY} that still accepts every stream (the client opens no new ones
     * but those in flight are served), and a {@code PING}. Its acknowledgement proves that every
     * stream the client opened before it has arrived; then the final {@code GOAWAY} names the last
     * stream served, and the connection closes once the open streams are done (the codec waits up
     * to the shutdown grace). A client that never acknowledges gets the final {@code GOAWAY} after
     * {@code server.http2.drain-ping-timeout}. Runs on the connection's loop.
     */
    void drain() {
        if (draining || ctx == null || !ctx.channel().isActive()) {
            return;
        }
        draining = true;
        countedDraining = true;
        drainingConnections.incrementAndGet();
        ctx.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
        ctx.writeAndFlush(new DefaultHttp2PingFrame(DRAIN_PING));
        drainWait = ctx.executor().schedule(this::finishDrain, drainPingTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void finishDrain() {
        if (drainWait == null) {
            return;
        }
        drainWait.cancel(false);
        drainWait = null;
        if (ctx.channel().isActive()) {
            // No extra stream ids: the last stream id becomes the last stream the client opened.
            ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
            ctx.channel().close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2Exception http2) {
            // The codec counts it, sends GOAWAY with its error code and closes: closing here first would send NO_ERROR.
            log.debug("HTTP/2 connection {} closed for a protocol error ({}): {}", ctx.channel().remoteAddress(),
                    http2.error(), cause.getMessage());
            return;
        }
        if (cause instanceof IOException) {
            log.debug("HTTP/2 connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("Unexpected error on HTTP/2 connection {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private void check(ChannelHandlerContext ctx) {
        if (connection.numActiveStreams() > 0) {
            idleTicks = 0;
        } else if (++idleTicks * tickNanos > idleTimeoutNanos) {
            stop();
            ctx.close();
        }
    }

    private void stop() {
        if (countedDraining) {
            countedDraining = false;
            drainingConnections.decrementAndGet();
        }
        if (drainWait != null) {
            drainWait.cancel(false);
            drainWait = null;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (counted) {
            counted = false;
            metrics.closed();
        }
    }
}
