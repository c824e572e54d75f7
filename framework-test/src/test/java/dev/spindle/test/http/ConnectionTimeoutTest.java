package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Slow clients and idle connections: the header-read and idle timeouts. */
class ConnectionTimeoutTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app ->
            app.get("/hi", ctx -> Response.text("hi").completed()))
            .set("http.header-read-timeout", "300ms")
            .set("http.idle-timeout", "400ms");

    @Test
    void headersThatDoNotArriveInTimeAreA408AndClose() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("GET /hi HTTP/1.1\r\nHost: x\r\nX-Slow: ").read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void slowHeadersOnAKeptAliveConnectionAreA408Too() {
        try (RawHttp raw = server.raw()) {
            assertThat(raw.send("GET /hi HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("hi");

            RawHttp.Response response = raw.send("GET /hi HTTP/1.1\r\n").read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void connectionThatSendsNothingIsClosedWithoutAResponse() {
        try (RawHttp raw = server.raw()) {
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("GET /hi HTTP/1.1\r\nHost: x\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isNull();
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }
}
