package dev.spindle.http.internal.h2;

import dev.spindle.http.internal.tls.FileRegionInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * Turns file responses into body chunks on an HTTP/2 stream, which has no {@code sendfile}: the
 * file is read a chunk at a time as the stream's flow-control window allows. The
 * {@link ChunkedWriteHandler} doing that is added on the first file only.
 */
final class FileChunks extends ChannelOutboundHandlerAdapter {

    private boolean writerAdded;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof FileRegion region) {
            if (!writerAdded) {
                writerAdded = true;
                ctx.pipeline().addBefore(ctx.name(), "h2-chunked-writer", new ChunkedWriteHandler());
            }
            ctx.write(new Contents(new FileRegionInput(region)), promise);
            return;
        }
        ctx.write(msg, promise);
    }

    /** File chunks as HTTP body parts; the response writer ends the body itself. */
    private record Contents(ChunkedInput<ByteBuf> bytes) implements ChunkedInput<HttpContent> {

        @Override
        public boolean isEndOfInput() throws Exception {
            return bytes.isEndOfInput();
        }

        @Override
        public void close() throws Exception {
            bytes.close();
        }

        @Deprecated
        @Override
        public HttpContent readChunk(ChannelHandlerContext ctx) throws Exception {
            return readChunk(ctx.alloc());
        }

        @Override
        public HttpContent readChunk(ByteBufAllocator allocator) throws Exception {
            ByteBuf chunk = bytes.readChunk(allocator);
            return chunk == null ? null : new DefaultHttpContent(chunk);
        }

        @Override
        public long length() {
            return bytes.length();
        }

        @Override
        public long progress() {
            return bytes.progress();
        }
    }
}
