package dev.spindle.http.internal.ws;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * The last data frame each thread encoded, header and payload, as the wire bytes of an unmasked
 * server frame (RFC 6455 section 5.2): a broadcast sends the same payload to every socket of a loop
 * one after another, so the frame is built once per loop and each socket writes the same bytes,
 * skipping the frame encoder. Only for sockets without permessage-deflate, whose frames differ.
 */
final class FrameCache {

    private static final FastThreadLocal<FrameCache> LAST = new FastThreadLocal<>() {
        @Override
        protected FrameCache initialValue() {
            return new FrameCache();
        }
    };

    private byte[] payload;
    private boolean text;
    private byte[] frame;

    private FrameCache() {}

    static byte[] frame(byte[] payload, boolean text) {
        FrameCache last = LAST.get();
        if (last.payload != payload || last.text != text) {
            last.frame = encode(payload, text);
            last.payload = payload;
            last.text = text;
        }
        return last.frame;
    }

    private static byte[] encode(byte[] payload, boolean text) {
        int length = payload.length;
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        byte[] frame = new byte[header + length];
        frame[0] = (byte) (0x80 | (text ? 0x1 : 0x2)); // FIN, opcode
        if (length < 126) {
            frame[1] = (byte) length;
        } else if (length < 65536) {
            frame[1] = 126;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }
}
