package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Message framing and the headers the framework owns: Expect, Date, Content-Length. */
class ProtocolTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.post("/echo", ctx -> Response.text("echo " + ctx.bodyText()).completed());
        app.get("/unicode", ctx -> Response.text("héllo wörld €").completed());
        app.get("/no-content", ctx -> Response.empty(204).completed());
    });

    @Test
    void expect100ContinueGetsAContinueThenTheFinalResponse() {
        try (RawHttp raw = server.raw()) {
            raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            RawHttp.Response interim = raw.read();
            assertThat(interim.status()).isEqualTo(100);

            RawHttp.Response response = raw.send("hello").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("echo hello");
        }
    }

    @Test
    void expect100ContinueForABodyOverTheLimitIsA413WithoutContinue() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n"
                    + "Expect: 100-continue\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(413);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void expect100ContinueForAnUnknownRouteIsA404WithoutContinue() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(404);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void otherExpectationsAreA417() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Expect: 200-ok\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(417);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    // Regression: Expect in an HTTP/1.0 request was refused with 417; RFC 9110 says to ignore it.
    @Test
    void expect100ContinueFromAnHttp10ClientIsIgnored() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("POST /echo HTTP/1.0\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 2\r\nExpect: 100-continue\r\n\r\nhi").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("echo hi");
        }
    }

    @Test
    void dateHeaderIsTheCurrentTimeInImfFixdateFormat() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        RawHttp.Response response;
        try (RawHttp raw = server.raw()) {
            response = raw.send("GET /unicode HTTP/1.1\r\nHost: x\r\n\r\n").read();
        }
        Instant after = Instant.now();

        String date = response.header("Date");
        assertThat(date).matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        Instant sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(sent).isBetween(before, after);
    }

    @Test
    void contentLengthIsTheExactNumberOfBodyBytes() {
        byte[] all = readUntilClosed("GET /unicode HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        String text = new String(all, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n") + 4;
        byte[] expected = "héllo wörld €".getBytes(StandardCharsets.UTF_8);
        assertThat(text.toLowerCase(Locale.ROOT)).contains("content-length: " + expected.length + "\r\n");
        assertThat(all.length - headerEnd).isEqualTo(expected.length);
        assertThat(new String(all, headerEnd, all.length - headerEnd, StandardCharsets.UTF_8))
                .isEqualTo("héllo wörld €");
    }

    @Test
    void headResponseDeclaresTheGetLengthButSendsNoBody() {
        byte[] all = readUntilClosed("HEAD /unicode HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        String text = new String(all, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
        assertThat(text.toLowerCase(Locale.ROOT)).contains("content-length: "
                + "héllo wörld €".getBytes(StandardCharsets.UTF_8).length + "\r\n");
    }

    @Test
    void noContentResponseHasNoContentLengthOrBody() {
        byte[] all = readUntilClosed("GET /no-content HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        String text = new String(all, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 204 No Content\r\n").endsWith("\r\n\r\n");
        assertThat(text.toLowerCase(Locale.ROOT)).doesNotContain("content-length", "transfer-encoding");
    }

    private static byte[] readUntilClosed(String request) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
