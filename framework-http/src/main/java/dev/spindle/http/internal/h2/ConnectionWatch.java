package dev.spindle.http.internal.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an HTTP/2 connection. Once added it takes the HTTP/1.1 handlers out,
 * widens the connection's flow-control window, and from then on closes the connection (with
 * {@code GOAWAY}) when it has had no open stream for the idle timeout. Protocol errors (rapid
 * reset, floods, malformed frames) are logged at DEBUG only: an attacker must not flood the log.
 */
final class ConnectionWatch extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionWatch.class);

    private final Http1Handlers http1;
    private final Http2Metrics metrics;
    private final long idleTimeoutNanos;
    private final int connectionWindow;
    private Http2Connection connection;
    private ScheduledFuture<?> timer;
    private long tickNanos;
    private long idleTicks;
    private boolean counted;

    ConnectionWatch(Http1Handlers http1, Http2Metrics metrics, long idleTimeoutNanos, int connectionWindow) {
        this.http1 = http1;
        this.metrics = metrics;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.connectionWindow = connectionWindow;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
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
