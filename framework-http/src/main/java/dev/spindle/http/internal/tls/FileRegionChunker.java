package dev.spindle.http.internal.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.function.Function;

/**
 * Turns file responses ({@link FileRegion}s, which an {@code SslHandler} or an HTTP/2 stream
 * refuses) into chunks read with backpressure; the {@link ChunkedWriteHandler} doing that is
 * added on the first file only.
 */
public final class FileRegionChunker extends ChannelOutboundHandlerAdapter {

    private final Function<ChunkedInput<ByteBuf>, ChunkedInput<?>> chunks;
    private boolean writerAdded;

    /** Writes files as byte chunks (under TLS). */
    FileRegionChunker() {
        this(bytes -> bytes);
    }

    /** Writes files as what {@code chunks} makes of their byte chunks (HTTP/2: HTTP body parts). */
    public FileRegionChunker(Function<ChunkedInput<ByteBuf>, ChunkedInput<?>> chunks) {
        this.chunks = chunks;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof FileRegion region) {
            if (!writerAdded) {
                writerAdded = true;
                ctx.pipeline().addBefore(ctx.name(), ctx.name() + "-writer", new ChunkedWriteHandler());
            }
            ctx.write(chunks.apply(new FileRegionInput(region)), promise);
            return;
        }
        ctx.write(msg, promise);
    }
}
