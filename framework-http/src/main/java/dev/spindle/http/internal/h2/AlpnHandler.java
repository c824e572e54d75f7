package dev.spindle.http.internal.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * Picks the protocol of a TLS connection once the handshake is done: {@code h2} swaps the
 * HTTP/1.1 handlers for HTTP/2 ones; anything else (including clients without ALPN) keeps
 * HTTP/1.1. Handshake failures never reach it: the TLS handlers before it count and close them.
 */
final class AlpnHandler extends ApplicationProtocolNegotiationHandler {

    static final String NAME = "alpn";

    private final Http2Connections http2;
    private final Http1Handlers http1;

    AlpnHandler(Http2Connections http2, Http1Handlers http1) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.http2 = http2;
        this.http1 = http1;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            http2.switchToHttp2(ctx.pipeline(), ctx.name(), http1);
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        // Counted and logged at DEBUG by the TLS handlers; a WARN per failure would flood the log under scanning.
        ctx.close();
    }
}
