package dev.spindle.http.internal.ws;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;

/**
 * The UTF-8 bytes of the last text each thread sent: a broadcast hands the same string to every
 * socket of a loop one after another, so it is encoded once per loop, not once per socket. The
 * bytes are shared read-only by the frames that carry them.
 */
final class Utf8Cache {

    private static final FastThreadLocal<Utf8Cache> LAST = new FastThreadLocal<>() {
        @Override
        protected Utf8Cache initialValue() {
            return new Utf8Cache();
        }
    };

    private String text;
    private byte[] bytes;

    private Utf8Cache() {}

    static byte[] encode(String text) {
        Utf8Cache last = LAST.get();
        if (last.text != text) {
            last.bytes = text.getBytes(StandardCharsets.UTF_8);
            last.text = text;
        }
        return last.bytes;
    }
}
