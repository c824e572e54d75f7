package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional cleartext listener sends every request to the same URL over HTTPS with 308. */
class RedirectToHttpsTest {

    @TempDir
    Path dir;

    private TestServer server(String... settings) throws IOException {
        TestPki.writePem(TestPki.server("redirect"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
        TestServer.Builder builder = TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString())
                .set("server.tls.redirect", "true")
                .set("server.tls.redirect-port", "0");
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        return builder.start(app -> {
            app.get("/hello", ctx -> Response.text("hello over " + ctx.scheme()).completed());
            app.post("/echo", ctx -> Response.text(ctx.bodyText()).completed());
        });
    }

    @Test
    void redirectsCleartextRequestsWith308ToTheSameUrlOverHttps() throws Exception {
        try (TestServer server = server()) {
            int redirectPort = server.app().redirectPort().orElseThrow();
            HttpClient client = HttpClient.newBuilder().sslContext(TestPki.trust())
                    .connectTimeout(Duration.ofSeconds(30)).build();
            URI cleartext = URI.create("http://127.0.0.1:" + redirectPort + "/hello?name=ada&x=%2F");

            HttpResponse<String> redirect = client.send(HttpRequest.newBuilder(cleartext).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(redirect.statusCode()).isEqualTo(308);
            assertThat(redirect.headers().firstValue("Location"))
                    .contains("https://127.0.0.1:" + server.port() + "/hello?name=ada&x=%2F");
            assertThat(server.app().meterRegistry().get("spindle.tls.redirects").counter().count()).isEqualTo(1);

            HttpClient following = HttpClient.newBuilder().sslContext(TestPki.trust())
                    .followRedirects(HttpClient.Redirect.ALWAYS).build();
            HttpResponse<String> followed = following.send(HttpRequest.newBuilder(cleartext).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(followed.statusCode()).isEqualTo(200);
            assertThat(followed.body()).isEqualTo("hello over https");
        }
    }

    @Test
    void keepsTheMethodAndBodyOfAPostAcrossTheRedirect() throws Exception {
        try (TestServer server = server()) {
            HttpClient following = HttpClient.newBuilder().sslContext(TestPki.trust())
                    .followRedirects(HttpClient.Redirect.ALWAYS).build();

            HttpResponse<String> echoed = following.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.app().redirectPort().orElseThrow() + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(echoed.statusCode()).isEqualTo(200);
            assertThat(echoed.body()).isEqualTo("payload");
        }
    }

    @Test
    void redirectsToTheConfiguredPublicPortAndLeavesOut443() throws IOException {
        try (TestServer server = server("server.tls.redirect-to-port", "443");
             RawHttp raw = RawHttp.connect(server.app().redirectPort().orElseThrow())) {
            raw.send("GET /a/b?c=d HTTP/1.1\r\nHost: example.com:80\r\n\r\n");

            RawHttp.Response response = raw.read();

            assertThat(response.status()).isEqualTo(308);
            assertThat(response.header("location")).isEqualTo("https://example.com/a/b?c=d");
            assertThat(response.header("connection")).isEqualTo("close");
        }
    }

    @Test
    void answers400WhenTheHostCannotBeTrusted() throws IOException {
        try (TestServer server = server();
             RawHttp raw = RawHttp.connect(server.app().redirectPort().orElseThrow())) {
            raw.send("GET / HTTP/1.1\r\nHost: evil.example/@other\r\n\r\n");

            assertThat(raw.read().status()).isEqualTo(400);
        }
    }

    @Test
    void answers400WithoutAHost() throws IOException {
        try (TestServer server = server();
             RawHttp raw = RawHttp.connect(server.app().redirectPort().orElseThrow())) {
            raw.send("GET / HTTP/1.0\r\n\r\n");

            assertThat(raw.read().status()).isEqualTo(400);
        }
    }

    @Test
    void hasNoRedirectListenerUnlessAsked() throws IOException {
        TestPki.writePem(TestPki.server("no-redirect"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
        try (TestServer server = TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString())
                .start(app -> { })) {
            assertThat(server.app().redirectPort()).isEmpty();
        }
    }
}
