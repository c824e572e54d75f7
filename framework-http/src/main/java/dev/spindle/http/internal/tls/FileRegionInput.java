package dev.spindle.http.internal.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileRegion} read in chunks, because TLS must encrypt what {@code sendfile} would copy
 * straight from the page cache to the socket.
 */
final class FileRegionInput implements ChunkedInput<ByteBuf> {

    private static final int CHUNK = 32 << 10;

    private final FileRegion region;
    private long offset;

    FileRegionInput(FileRegion region) {
        this.region = region;
    }

    @Override
    public boolean isEndOfInput() {
        return offset >= region.count();
    }

    @Override
    public void close() {
        region.release();
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (isEndOfInput()) {
            return null;
        }
        ByteBuf chunk = allocator.buffer((int) Math.min(CHUNK, region.count() - offset));
        try {
            Sink sink = new Sink(chunk);
            while (chunk.isWritable()) {
                long read = region.transferTo(sink, offset);
                if (read <= 0) {
                    throw new IOException("The file ended " + (region.count() - offset) + " bytes early");
                }
                offset += read;
            }
            return chunk;
        } catch (IOException | RuntimeException e) {
            chunk.release();
            throw e;
        }
    }

    @Override
    public long length() {
        return region.count();
    }

    @Override
    public long progress() {
        return offset;
    }

    /** Takes at most what fits in the chunk; the region resumes from what was taken. */
    private record Sink(ByteBuf chunk) implements WritableByteChannel {

        @Override
        public int write(ByteBuffer source) {
            int taken = Math.min(source.remaining(), chunk.writableBytes());
            ByteBuffer part = source.slice();
            part.limit(taken);
            chunk.writeBytes(part);
            source.position(source.position() + taken);
            return taken;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
