package dev.spindle.http.internal.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.stream.ChunkedInput;

/**
 * A file's byte chunks as HTTP body parts, for an HTTP/2 stream, which has no {@code sendfile}:
 * the file is read a chunk at a time as the stream's flow-control window allows. The response
 * writer ends the body itself.
 */
record FileChunks(ChunkedInput<ByteBuf> bytes) implements ChunkedInput<HttpContent> {

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
