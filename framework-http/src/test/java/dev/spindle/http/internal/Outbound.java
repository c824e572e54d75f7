package dev.spindle.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** What a pipeline test's channel wrote. */
final class Outbound {

    private Outbound() {}

    /** Everything written so far, as text; each outbound buffer is released once read. */
    static String text(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) out;
            try {
                text.append(buf.toString(StandardCharsets.ISO_8859_1));
            } finally {
                buf.release();
            }
        }
        return text.toString();
    }
}
