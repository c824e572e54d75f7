package dev.spindle.http.internal.h2;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;

/**
 * The HTTP/1.1 {@code Upgrade: h2c} handshake (RFC 7540 3.2), on the first request of a
 * cleartext connection only; it then leaves the pipeline, so later requests pay nothing. Only a
 * request without a body is upgraded: the upgrade would have to buffer the body whole, outside
 * the route's limits, so a request with one is served over HTTP/1.1 (which the RFC allows).
 */
final class H2cUpgradeHandler extends HttpServerUpgradeHandler {

    static final String NAME = "h2c-upgrade";

    H2cUpgradeHandler(HttpServerCodec codec, Http2Connections http2, Http1Handlers http1, int maxContentLength) {
        super(codec, protocol -> AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                ? new Http2ServerUpgradeCodec(http2.newCodec(), http2.newMultiplexer(null), http2.newWatch(http1))
                : null, maxContentLength, DefaultHttpHeadersFactory.headersFactory(),
                DefaultHttpHeadersFactory.trailersFactory(), true);
    }

    @Override
    protected boolean shouldHandleUpgradeRequest(HttpRequest request) {
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        return upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("h2c")
                && HttpUtil.getContentLength(request, 0L) == 0 && !HttpUtil.isTransferEncodingChunked(request);
    }
}
