package dev.spindle.http.internal.h2;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the stream errors Netty reports on a stream's channel (a malformed or refused stream,
 * which it also resets): logged at DEBUG, since a client can cause any number of them; other
 * errors go on to the request handlers.
 */
@ChannelHandler.Sharable
final class StreamErrors extends ChannelInboundHandlerAdapter {

    static final StreamErrors INSTANCE = new StreamErrors();
    private static final Logger log = LoggerFactory.getLogger(StreamErrors.class);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2Exception http2) {
            log.debug("HTTP/2 stream {} failed: {}", ctx.channel(), cause.toString());
            // The reset carries the error (PROTOCOL_ERROR for a malformed request, RFC 9113 8.1.1);
            // closing the stream's channel alone would reset it with CANCEL.
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(http2.error())).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
