package dev.spindle.http.internal;

import dev.spindle.http.HttpException;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The body of the request being received: gathered into one array for the handler, or handed to
 * it chunk by chunk ({@link StreamingBody}). Either way the route's limit is enforced as bytes
 * arrive; a body beyond it is a 413.
 */
final class RequestBody {

    /** The largest array the JVM allocates: an aggregated body can never be larger, whatever the limit says. */
    static final int MAX_AGGREGATED = Integer.MAX_VALUE - 8;
    private static final byte[] NONE = new byte[0];
    /** The body of a request without one; shared, since it never holds a byte. */
    static final RequestBody EMPTY = new RequestBody(0, null);

    private final long limit;
    private final StreamingBody stream;
    private byte[] bytes = NONE;
    private int size;
    private long streamed;

    private RequestBody(long limit, StreamingBody stream) {
        this.limit = limit;
        this.stream = stream;
    }

    /** A body gathered in memory, pre-sized from a declared length (never beyond a modest first buffer). */
    static RequestBody aggregated(long limit, long declaredLength) {
        RequestBody body = new RequestBody(Math.min(limit, MAX_AGGREGATED), null);
        if (declaredLength > 0) {
            body.bytes = new byte[(int) Math.min(declaredLength, 64 << 10)];
        }
        return body;
    }

    /** A body streamed to the handler through {@code stream}. */
    static RequestBody streamed(long limit, StreamingBody stream) {
        return new RequestBody(limit, stream);
    }

    /** Whether a declared length is already beyond the limit. */
    static boolean tooLong(long declaredLength, long limit) {
        return declaredLength > limit;
    }

    StreamingBody stream() {
        return stream;
    }

    /** Takes a chunk; a body beyond the limit throws the 413. */
    void add(ByteBuf content) {
        int readable = content.readableBytes();
        if (readable == 0) {
            return;
        }
        if (stream != null) {
            streamed += readable;
            if (streamed > limit) {
                throw tooLarge(limit);
            }
            stream.offer(content);
            return;
        }
        if (size + (long) readable > limit) {
            throw tooLarge(limit);
        }
        if (bytes.length - size < readable) {
            long grown = Math.max(size + (long) readable, bytes.length * 2L + 1024);
            bytes = Arrays.copyOf(bytes, (int) Math.min(limit, grown));
        }
        content.readBytes(bytes, size, readable);
        size += readable;
    }

    /** The aggregated bytes; the body gives them up. */
    byte[] take() {
        byte[] taken = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        bytes = NONE;
        return taken;
    }

    static HttpException tooLarge(long limit) {
        return new HttpException(413, "Request body is larger than the " + limit + " bytes this route accepts");
    }
}
