package dev.spindle.http.internal.h2;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;

/**
 * The HTTP/1.1 {@code Upgrade: h2c} handshake (RFC 7540 3.2), on the first request of a
 * cleartext connection only; it then leaves the pipeline, so later requests pay nothing. The
 * upgrade must read the request's body whole before switching, so only a request whose declared
 * body is at most {@link #MAX_BODY} is upgraded; a larger or chunked one is served over HTTP/1.1
 * (which the RFC allows), with the route's own body limit and streaming.
 */
final class H2cUpgradeHandler extends HttpServerUpgradeHandler {

    static final String NAME = "h2c-upgrade";
    static final int MAX_BODY = 64 << 10;

    H2cUpgradeHandler(Http2Connections http2, Http1Handlers http1) {
        // The HTTP/1.1 handlers leave before the HTTP/2 ones arrive: the codec's first frames must not meet their encoder.
        super(ctx -> http1.removeFrom(ctx.pipeline()), protocol -> AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                ? new Http2ServerUpgradeCodec(http2.newCodec(), http2.newMultiplexer(null), http2.newWatch(http1))
                : null, MAX_BODY, DefaultHttpHeadersFactory.headersFactory(),
                DefaultHttpHeadersFactory.trailersFactory(), true);
    }

    @Override
    protected boolean shouldHandleUpgradeRequest(HttpRequest request) {
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        // A head the decoder refused (its framing in doubt) is answered by the HTTP/1.1 handlers, not upgraded.
        return upgrade != null && request.decoderResult().isSuccess() && upgrade.toLowerCase(java.util.Locale.ROOT).contains("h2c")
                && HttpUtil.getContentLength(request, 0L) <= MAX_BODY && !HttpUtil.isTransferEncodingChunked(request);
    }
}
