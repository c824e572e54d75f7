package dev.spindle.http.internal.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * HTTP/2 with prior knowledge on cleartext: looks at a connection's first bytes and, when they
 * are the HTTP/2 connection preface, swaps the HTTP/1.1 handlers for HTTP/2 ones. Either way it
 * then leaves the pipeline, handing on what it read.
 */
final class PrefaceDetector extends ByteToMessageDecoder {

    static final String NAME = "h2c-preface";
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final Http2Connections http2;
    private final Http1Handlers http1;

    PrefaceDetector(Http2Connections http2, Http1Handlers http1) {
        this.http2 = http2;
        this.http1 = http1;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), length)) {
            ctx.pipeline().remove(this);
        } else if (length == PREFACE.readableBytes()) {
            if (ctx.pipeline().context(H2cUpgradeHandler.NAME) != null) {
                ctx.pipeline().remove(H2cUpgradeHandler.NAME);
            }
            http2.switchToHttp2(ctx.pipeline(), ctx.name(), http1);
            // Removing a decoder hands its buffered bytes, the preface included, to the HTTP/2 codec.
            ctx.pipeline().remove(this);
        }
    }
}
