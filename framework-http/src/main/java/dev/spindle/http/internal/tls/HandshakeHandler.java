package dev.spindle.http.internal.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@link SslHandler}: counts handshakes by protocol and failures by reason,
 * and keeps TLS-layer errors (scanners, plaintext on the HTTPS port, broken records) at DEBUG so a
 * scan cannot flood the log. Failures are counted once, from the handshake's completion event.
 */
@ChannelHandler.Sharable
final class HandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

    private final TlsMetrics metrics;

    HandshakeHandler(TlsMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                metrics.handshakeSucceeded(ssl.engine().getSession().getProtocol());
            } else {
                HandshakeFailure reason = HandshakeFailure.of(completion.cause());
                metrics.handshakeFailed(reason);
                log.debug("TLS handshake with {} failed ({}): {}", ctx.channel().remoteAddress(), reason.tag(),
                        completion.cause().toString());
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (isTlsError(cause)) {
            log.debug("TLS error on connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private static boolean isTlsError(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }
}
