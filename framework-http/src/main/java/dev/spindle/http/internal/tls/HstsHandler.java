package dev.spindle.http.internal.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import java.time.Duration;

/**
 * Adds {@code Strict-Transport-Security} to every HTTPS response, including the ones the
 * framework writes itself (limits, timeouts, overload), unless a handler set its own.
 */
@ChannelHandler.Sharable
final class HstsHandler extends ChannelOutboundHandlerAdapter {

    private static final AsciiString HEADER = AsciiString.cached("strict-transport-security");

    private final AsciiString value;

    HstsHandler(Duration maxAge, boolean includeSubdomains) {
        this.value = AsciiString.cached("max-age=" + maxAge.toSeconds() + (includeSubdomains ? "; includeSubDomains" : ""));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && !response.headers().contains(HEADER)) {
            response.headers().set(HEADER, value);
        }
        ctx.write(msg, promise);
    }
}
