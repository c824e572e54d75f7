package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import dev.spindle.test.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's curl (nghttp2) speaks HTTP/2 to Spindle: h2 over ALPN, h2c by Upgrade, h2c with prior knowledge. */
class CurlHttp2Test {

    private static final Consumer<Spindle> ROUTES = app -> {
        app.get("/hello", ctx -> Response.text("hello over " + ctx.scheme()).completed());
        app.post("/echo", ctx -> Response.text("got " + ctx.bodyText()).completed());
    };

    @TempDir
    Path dir;

    @BeforeEach
    void requireCurl() {
        Curl.require();
    }

    @Test
    void curlNegotiatesH2OverTls() throws Exception {
        TestPki.writePem(TestPki.server("curl-h2"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
        try (TestServer server = TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString())
                .start(ROUTES)) {
            String output = curl("--http2", "--cacert", TestPki.rootPem(dir).toString(),
                    "https://localhost:" + server.port() + "/hello");

            assertThat(output).contains("ALPN: server accepted h2").contains("< HTTP/2 200").endsWith("hello over https");
        }
    }

    @Test
    void curlUpgradesCleartextToH2c() throws Exception {
        try (TestServer server = TestServer.start(ROUTES)) {
            String output = curl("--http2", "http://127.0.0.1:" + server.port() + "/hello");

            assertThat(output).contains("Upgrade: h2c").contains("HTTP/1.1 101 Switching Protocols")
                    .contains("< HTTP/2 200").endsWith("hello over http");
        }
    }

    @Test
    void curlSpeaksH2cWithPriorKnowledge() throws Exception {
        try (TestServer server = TestServer.start(ROUTES)) {
            String get = curl("--http2-prior-knowledge", "http://127.0.0.1:" + server.port() + "/hello");
            String post = curl("--http2-prior-knowledge", "-H", "Content-Type: application/json", "--data", "{\"a\":1}",
                    "http://127.0.0.1:" + server.port() + "/echo");

            assertThat(get).contains("< HTTP/2 200").doesNotContain("Upgrade").endsWith("hello over http");
            assertThat(post).contains("< HTTP/2 200").endsWith("got {\"a\":1}");
        }
    }

    private String curl(String... arguments) throws IOException, InterruptedException {
        return Curl.run(dir, arguments);
    }
}
