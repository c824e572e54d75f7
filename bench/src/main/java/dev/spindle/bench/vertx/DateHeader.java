package dev.spindle.bench.vertx;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import io.vertx.core.Vertx;
import java.util.Date;

/** The {@code Date} header value, refreshed every second by a Vert.x timer. */
final class DateHeader {

    private static volatile CharSequence value = format();

    private DateHeader() {}

    static void start(Vertx vertx) {
        vertx.setPeriodic(1000, id -> value = format());
    }

    static CharSequence value() {
        return value;
    }

    private static CharSequence format() {
        return AsciiString.cached(DateFormatter.format(new Date()));
    }
}
