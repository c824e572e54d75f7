package dev.spindle.http.internal;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import java.util.Date;

/** The {@code Date} header value, formatted at most once a second for the whole process. */
final class DateHeader {

    private static volatile Cached cached = new Cached(-1, AsciiString.EMPTY_STRING);

    private DateHeader() {}

    static AsciiString now() {
        long millis = System.currentTimeMillis();
        long second = millis / 1000;
        Cached current = cached;
        if (current.second != second) {
            current = new Cached(second, AsciiString.cached(DateFormatter.format(new Date(second * 1000))));
            cached = current;
        }
        return current.value;
    }

    private record Cached(long second, AsciiString value) {}
}
