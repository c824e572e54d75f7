package dev.spindle.http.internal;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.TimeUnit;

/**
 * The close after refusing a request whose client is still sending its body (413, a refused
 * upload). Closing at once would make the kernel answer the unread bytes with a reset, and the
 * client could lose the answer it has not read yet; so (RFC 9112 9.6) output is shut once the
 * answer is written, input is read and discarded for a bounded time, then the connection closes.
 */
final class LingeringClose {

    /** How long input is drained after the answer. */
    static final long LINGER_MILLIS = 2_000;

    private LingeringClose() {}

    static void after(ChannelFuture lastWrite, ChannelHandlerContext ctx, ReadGate gate) {
        // Over TLS a half-close is not a TLS close: close plainly there.
        if (!(ctx.channel() instanceof DuplexChannel duplex) || ctx.pipeline().get(SslHandler.class) != null) {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        lastWrite.addListener(written -> {
            if (!written.isSuccess()) {
                ctx.close();
                return;
            }
            duplex.shutdownOutput();
            gate.openAll(); // the connection reads only to discard now
            ctx.executor().schedule(() -> {
                ctx.close();
            }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }
}
