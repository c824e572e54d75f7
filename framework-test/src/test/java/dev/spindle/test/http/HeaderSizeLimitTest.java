package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Both sides of the 431 limit: a 431 test alone would also pass if every request were refused. */
class HeaderSizeLimitTest {

    private static final int LIMIT = 2048;

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> app.get("/a", ctx -> Response.text(
            "pad " + ctx.header("X-Pad").map(String::length).orElse(0)).completed()))
            .set("http.max-header-size", LIMIT + "B");

    /** A request whose header block (every header line with its CRLF) is {@code blockSize} bytes. */
    private static String requestWithHeaderBlockOf(int blockSize) {
        String host = "Host: x\r\n";
        int pad = blockSize - host.length() - "X-Pad: \r\n".length();
        return "GET /a HTTP/1.1\r\n" + host + "X-Pad: " + "p".repeat(pad) + "\r\n\r\n";
    }

    @Test
    void headersJustUnderTheLimitAreServedAndTheConnectionStaysOpen() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response first = raw.send(requestWithHeaderBlockOf(LIMIT - 32)).read();
            RawHttp.Response second = raw.send(requestWithHeaderBlockOf(LIMIT - 32)).read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("pad " + (LIMIT - 32 - 18));
            assertThat(second.status()).isEqualTo(200);
        }
    }

    @Test
    void manySmallHeadersUnderTheLimitAreServed() {
        StringBuilder request = new StringBuilder("GET /a HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 60; i++) {
            request.append(String.format("X-Header-%02d: value-%02d\r\n", i, i));
        }
        try (RawHttp raw = server.raw()) {
            assertThat(raw.send(request.append("\r\n").toString()).read().status()).isEqualTo(200);
        }
    }

    @Test
    void headersJustOverTheLimitAreA431AndClose() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send(requestWithHeaderBlockOf(LIMIT + 32)).read();

            assertThat(response.status()).isEqualTo(431);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }
}
