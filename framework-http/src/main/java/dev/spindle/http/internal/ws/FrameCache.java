package dev.spindle.http.internal.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The last data frame each event loop encoded, header and payload, as the wire bytes of an
 * unmasked server frame (RFC 6455 section 5.2) in one direct buffer: a broadcast sends the same
 * payload to every socket of a loop one after another, so the frame is built once per loop and
 * each socket writes a retained duplicate of it, with neither an encoder pass nor a copy of its
 * own. Only for sockets without permessage-deflate, whose frames differ. The loop's reference is
 * released when the next frame replaces it, or when the loop's thread ends.
 */
final class FrameCache {

    private static final FastThreadLocal<FrameCache> LAST = new FastThreadLocal<>() {
        @Override
        protected FrameCache initialValue() {
            return new FrameCache();
        }

        @Override
        protected void onRemoval(FrameCache cache) {
            cache.replace(null, false, null);
        }
    };

    private byte[] payload;
    private boolean text;
    private ByteBuf frame;

    private FrameCache() {}

    /** The frame carrying {@code payload}, for the caller to write (its own reference). */
    static ByteBuf frame(ByteBufAllocator alloc, byte[] payload, boolean text) {
        FrameCache last = LAST.get();
        if (last.payload != payload || last.text != text || last.frame == null) {
            last.replace(payload, text, encode(alloc, payload, text));
        }
        return last.frame.retainedDuplicate();
    }

    private void replace(byte[] newPayload, boolean newText, ByteBuf newFrame) {
        if (frame != null) {
            frame.release();
        }
        payload = newPayload;
        text = newText;
        frame = newFrame;
    }

    private static ByteBuf encode(ByteBufAllocator alloc, byte[] payload, boolean text) {
        int length = payload.length;
        ByteBuf frame = alloc.directBuffer(length + 10);
        frame.writeByte(0x80 | (text ? 0x1 : 0x2)); // FIN, opcode
        if (length < 126) {
            frame.writeByte(length);
        } else if (length < 65536) {
            frame.writeByte(126).writeShort(length);
        } else {
            frame.writeByte(127).writeLong(length);
        }
        return frame.writeBytes(payload);
    }
}
