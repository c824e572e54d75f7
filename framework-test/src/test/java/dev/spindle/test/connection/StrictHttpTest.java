package dev.spindle.test.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9110/9112 as a strict server reads them: the request line, the target's forms, Host, framing, final statuses. */
class StrictHttpTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/hi", ctx -> Response.text("hi " + ctx.path() + " " + ctx.queryParam("x").orElse("-")).completed());
        app.post("/echo", ctx -> Response.text(ctx.bodyText()).completed());
        app.get("/own-request-id", ctx -> Response.text("id").header("X-Request-Id", "from-the-handler").completed());
    }).set("http.max-body-size", "1KiB");

    private static RawHttp.Response send(String request) {
        try (RawHttp raw = server.raw()) {
            return raw.send(request).read();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /hi HTTP/1.1\r\n\r\n",                                       // no Host on HTTP/1.1
        "GET /hi HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",                 // two Host lines
        "GET /hi HTTP/1.1\r\nHost: a, b\r\n\r\n",                         // a list
        "GET /hi HTTP/1.1\r\nHost:\r\n\r\n",                              // empty
        "GET /hi HTTP/1.1\r\nHost: a b\r\n\r\n",                          // a space inside
        "GET /hi HTTP/1.1\r\nHost: example.com/path\r\n\r\n",             // a path
        "GET /hi HTTP/1.1\r\nHost: user@example.com\r\n\r\n",             // userinfo
        "GET /hi HTTP/1.1\r\nHost: example.com:http\r\n\r\n",             // a non-numeric port
        "GET /hi HTTP/1.1\r\nHost: example.com:99999\r\n\r\n",            // a port out of range
        "GET /hi HTTP/1.1\r\nHost: [::1\r\n\r\n",                         // a broken IPv6 literal
        "GET /hi HTTP/1.1\r\nHost: [not:an:ip]\r\n\r\n",
    })
    void badHostIsA400AndCloses(String request) {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send(request).read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("Host");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:8080", "127.0.0.1:80", "[::1]", "[2001:db8::7]:443", "localhost:"})
    void validHostsAreServed(String host) {
        assertThat(send("GET /hi HTTP/1.1\r\nHost: " + host + "\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void http10WithoutHostIsServed() {
        assertThat(send("GET /hi HTTP/1.0\r\n\r\n").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        " GET /hi HTTP/1.1\r\nHost: x\r\n\r\n",       // whitespace before the method
        "GET /hi http/1.1\r\nHost: x\r\n\r\n",        // lower-case version
        "GET /hi HTTQ/1.1\r\nHost: x\r\n\r\n",        // unknown protocol
        "GET /hi#frag HTTP/1.1\r\nHost: x\r\n\r\n",   // a fragment in the target
        "GET ftp://x/hi HTTP/1.1\r\nHost: x\r\n\r\n", // an absolute URI that is not http(s)
        "GET * HTTP/1.1\r\nHost: x\r\n\r\n",          // asterisk-form is for OPTIONS only
    })
    void badRequestLineIsA400(String request) {
        assertThat(statusLine(request)).startsWith("HTTP/1.1 400 ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/1.2", "HTTP/3.0"})
    void unsupportedVersionIsA505AnsweredInHttp11(String version) {
        assertThat(statusLine("GET /hi " + version + "\r\nHost: x\r\n\r\n")).isEqualTo("HTTP/1.1 505 HTTP Version Not Supported");
    }

    @Test
    void emptyLinesBeforeTheRequestLineAreIgnored() {
        assertThat(send("\r\n\r\nGET /hi HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void absoluteFormIsRoutedByItsPath() {
        RawHttp.Response response = send("GET http://example.com:8080/hi?x=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hi /hi 1");
    }

    @Test
    void optionsAsteriskAnswersWithTheServerWideAllow() {
        RawHttp.Response response = send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Allow")).contains("GET", "POST", "OPTIONS");
    }

    // RFC 9112 6.1, pinned on the decoder (not a JVM-wide Netty property): chunked must be the final coding.
    @ParameterizedTest
    @ValueSource(strings = {
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc",
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    })
    void transferEncodingNotEndingInChunkedIsA400AndCloses(String request) {
        try (RawHttp raw = server.raw()) {
            assertThat(raw.send(request).read().status()).isEqualTo(400);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    // RFC 9110 8.6: a Content-Length that is a list (even of equal values) leaves the framing in doubt.
    @ParameterizedTest
    @ValueSource(strings = {
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc",
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3,4\r\n\r\nabcd",
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\nabc",
    })
    void aContentLengthListIsA400AndCloses(String request) {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send(request).read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("Content-Length");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void aFinalResponseCannotHaveAnInterimStatus() {
        assertThatThrownBy(() -> Response.empty(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Response.text("x").status(103)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRequestIdHeaderIsNeverDuplicated() {
        RawHttp.Response response = send("GET /own-request-id HTTP/1.1\r\nHost: x\r\nX-Request-Id: from-the-client\r\n\r\n");

        assertThat(response.header("X-Request-Id")).isEqualTo("from-the-client");
    }

    // Regression: a refused upload closed at once; the kernel reset the connection under unread bytes and the client
    // could lose the 413. The close now lingers: output shut, input drained for a bounded time.
    @Test
    void aRefusedUploadStillSendingGetsIts413BeforeTheClose() throws Exception {
        byte[] chunk = new byte[64 << 10];
        int total = 8 << 20;
        Socket socket = new Socket();
        {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + total + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            Thread sender = new Thread(() -> {
                try {
                    for (int sent = 0; sent < total; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException expected) {
                    // the server closes once it lingered long enough
                }
            });
            sender.start();
            try {
                String head = readHead(socket.getInputStream());
                assertThat(head).startsWith("HTTP/1.1 413 ").containsIgnoringCase("connection: close");
            } finally {
                socket.close();
                sender.join(10_000);
            }
        }
    }

    private static String statusLine(String request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(socket.getInputStream());
            return head.substring(0, head.indexOf("\r\n"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
