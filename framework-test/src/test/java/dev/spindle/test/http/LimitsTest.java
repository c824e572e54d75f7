package dev.spindle.test.http;

import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.Parameter;
import dev.spindle.test.TestClient;
import dev.spindle.test.Protocol;
import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@ParameterizedClass
@EnumSource(Protocol.class)
class LimitsTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/{anything}", ctx -> Response.text("ok").completed());
        app.post("/echo", ctx -> Response.text("got " + ctx.body().length).completed());
        app.post("/big", RouteOptions.builder().maxBodySize(64 << 10).build(),
                ctx -> Response.text("got " + ctx.body().length).completed());
        app.group("/tiny", RouteOptions.builder().maxBodySize(8).build(), tiny ->
                tiny.post("/echo", ctx -> Response.text("got " + ctx.body().length).completed()));
    }).set("http.max-body-size", "1KiB");

    @Parameter
    Protocol protocol;

    /** A client over the protocol of this run: each test runs over HTTP/1.1, h2c and h2 (TLS). */
    private TestClient client() {
        return server.client(protocol);
    }

    private static RawHttp.Response exchange(RawHttp raw, String request) {
        return raw.send(request).read();
    }

    @Test
    void requestLineOver4KiBIsA414AndCloses() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = exchange(raw, "GET /" + "a".repeat(4200) + " HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(response.status()).isEqualTo(414);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void requestLineJustUnderTheLimitIsServed() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = exchange(raw, "GET /" + "a".repeat(4000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
        }
    }

    @Test
    void headersOver8KiBAreA431AndClose() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = exchange(raw, "GET /a HTTP/1.1\r\nHost: x\r\n"
                    + "X-One: " + "b".repeat(4500) + "\r\nX-Two: " + "c".repeat(4500) + "\r\n\r\n");

            assertThat(response.status()).isEqualTo(431);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void declaredBodyOverTheLimitIsA413BeforeItIsSentAndCloses() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = exchange(raw,
                    "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1025\r\n\r\n");

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).contains("1024 bytes");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void chunkedBodyGrowingOverTheLimitIsA413AndCloses() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = exchange(raw,
                    "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "400\r\n" + "x".repeat(1024) + "\r\n" + "1\r\ny\r\n");

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void bodyAtTheLimitIsAccepted() {
        assertThat(client().post("/echo", "x".repeat(1024))).hasStatus(200).hasBody("got 1024");
    }

    @Test
    void routeCanRaiseTheBodyLimit() {
        assertThat(client().post("/big", "x".repeat(32 << 10))).hasStatus(200).hasBody("got 32768");
    }

    @Test
    void groupCanLowerTheBodyLimit() {
        assertThat(client().post("/tiny/echo", "12345678")).hasStatus(200).hasBody("got 8");
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = exchange(raw,
                    "POST /tiny/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n123456789");

            assertThat(response.status()).isEqualTo(413);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void bothTransferEncodingAndContentLengthIsA400AndCloses() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = exchange(raw, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n");

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void malformedRequestLineIsA400AndCloses() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = exchange(raw, "GET /a HTTP/1.1 extra\r\nHost: x\r\n\r\n");

            assertThat(response.status()).isEqualTo(400);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }
}
