package dev.spindle.http.internal.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * Turns file responses ({@link FileRegion}s, which an {@code SslHandler} refuses) into chunks read
 * with backpressure; the {@link ChunkedWriteHandler} doing that is added on the first file only.
 */
final class FileRegionChunker extends ChannelOutboundHandlerAdapter {

    private boolean writerAdded;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof FileRegion region) {
            if (!writerAdded) {
                writerAdded = true;
                ctx.pipeline().addBefore(ctx.name(), "tls-chunked-writer", new ChunkedWriteHandler());
            }
            ctx.write(new FileRegionInput(region), promise);
            return;
        }
        ctx.write(msg, promise);
    }
}
