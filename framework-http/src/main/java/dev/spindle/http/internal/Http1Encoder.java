package dev.spindle.http.internal;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * The HTTP/1.x response encoder; an answer to HEAD is marked by its type
 * ({@link ResponseEncoder.BodilessResponse}), so no per-request method queue is needed.
 */
final class Http1Encoder extends HttpResponseEncoder {

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return msg instanceof ResponseEncoder.BodilessResponse || super.isContentAlwaysEmpty(msg);
    }
}
