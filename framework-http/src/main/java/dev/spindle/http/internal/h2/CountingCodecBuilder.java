package dev.spindle.http.internal.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Netty's server frame codec, counting each connection it closes for a protocol error. The
 * count is taken in the codec because some limits (queued control frames) trip on the way out,
 * where no exception reaches the rest of the pipeline.
 */
final class CountingCodecBuilder extends Http2FrameCodecBuilder {

    private final Http2Metrics metrics;

    CountingCodecBuilder(Http2Metrics metrics) {
        this.metrics = metrics;
        server(true);
    }

    @Override
    protected Http2FrameCodec build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                                    Http2Settings initialSettings) {
        Http2FrameCodec codec = new CountingCodec(encoder, decoder, initialSettings, decoupleCloseAndGoAway(),
                flushPreface(), metrics);
        codec.gracefulShutdownTimeoutMillis(gracefulShutdownTimeoutMillis());
        return codec;
    }

    private static final class CountingCodec extends Http2FrameCodec {

        private final Http2Metrics metrics;

        CountingCodec(Http2ConnectionEncoder encoder, Http2ConnectionDecoder decoder, Http2Settings initialSettings,
                      boolean decoupleCloseAndGoAway, boolean flushPreface, Http2Metrics metrics) {
            super(encoder, decoder, initialSettings, decoupleCloseAndGoAway, flushPreface);
            this.metrics = metrics;
        }

        @Override
        protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
                                         Http2Exception http2Ex) {
            metrics.connectionError(http2Ex == null ? Http2Error.INTERNAL_ERROR : http2Ex.error());
            super.onConnectionError(ctx, outbound, cause, http2Ex);
        }
    }
}
