package dev.spindle.http.internal.h2;

import dev.spindle.http.internal.HttpServer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;

/**
 * The server's HTTP/1.1 codec (its request decoder and response encoder, two handlers) as the
 * source an {@code h2c} upgrade leaves: both go once the 101 is written.
 */
final class Http1Codec implements HttpServerUpgradeHandler.SourceCodec {

    static final Http1Codec INSTANCE = new Http1Codec();

    private Http1Codec() {}

    /** The name of the codec's last handler, after which the upgrade handler goes; null without the codec. */
    static String last(ChannelPipeline pipeline) {
        return pipeline.context(HttpServer.ENCODER) != null && pipeline.context(HttpServer.DECODER) != null
                ? HttpServer.ENCODER : null;
    }

    @Override
    public void upgradeFrom(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove(HttpServer.DECODER);
        pipeline.remove(HttpServer.ENCODER);
    }
}
