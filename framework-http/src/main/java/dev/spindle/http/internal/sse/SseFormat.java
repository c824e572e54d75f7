package dev.spindle.http.internal.sse;

import dev.spindle.http.SseEvent;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;

/** The {@code text/event-stream} wire format: fields, one {@code data:} line per line of data, a blank line. */
final class SseFormat {

    static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.UTF_8);

    private SseFormat() {}

    static byte[] event(SseEvent event) {
        StringBuilder out = new StringBuilder(event.data().length() + 32);
        event.retry().ifPresent(retry -> out.append("retry: ").append(retry.toMillis()).append('\n'));
        event.id().ifPresent(id -> out.append("id: ").append(id).append('\n'));
        event.event().ifPresent(name -> out.append("event: ").append(name).append('\n'));
        lines(out, "data: ", event.data());
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A data-only event; the last one each thread encoded is reused, since a broadcast hands the
     * same string to every stream of a loop one after another.
     */
    static byte[] data(String data) {
        LastData last = LAST_DATA.get();
        if (last.data != data) {
            last.bytes = encodeData(data);
            last.data = data;
        }
        return last.bytes;
    }

    private static final class LastData {
        String data;
        byte[] bytes;
    }

    private static final FastThreadLocal<LastData> LAST_DATA = new FastThreadLocal<>() {
        @Override
        protected LastData initialValue() {
            return new LastData();
        }
    };

    private static byte[] encodeData(String data) {
        StringBuilder out = new StringBuilder(data.length() + 8);
        lines(out, "data: ", data);
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] comment(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        lines(out, ": ", text);
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] retry(long millis) {
        return ("retry: " + millis + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Each line of {@code text} (split at CRLF, CR or LF) as {@code prefix + line + LF}. */
    private static void lines(StringBuilder out, String prefix, String text) {
        int start = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                out.append(prefix).append(text, start, i).append('\n');
                if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out.append(prefix).append(text, start, length).append('\n');
    }
}
