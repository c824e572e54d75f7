package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import dev.spindle.test.Protocol;
import dev.spindle.test.TestClient;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 end to end with the JDK HttpClient: h2 over ALPN on HTTPS, h2c by Upgrade on cleartext. */
class Http2Test {

    @TempDir
    static Path dir;

    static final byte[] FILE_CONTENT = "0123456789abcdef".repeat(20_000).getBytes(StandardCharsets.US_ASCII);

    private static final Consumer<Spindle> ROUTES = app -> {
        app.get("/hello", ctx -> Response.text("hello over " + ctx.scheme()).completed());
        app.post("/echo", ctx -> Response.text("got " + ctx.bodyText()).completed());
        app.get("/id", ctx -> Response.text(ctx.requestId()).completed());
        app.get("/file", ctx -> Response.file(dir.resolve("big.txt"), "text/plain").completed());
        app.get("/stream", ctx -> Response.stream(new Lines(100), "text/plain").completed());
    };

    private TestServer https() throws IOException {
        Files.write(dir.resolve("big.txt"), FILE_CONTENT);
        TestPki.writePem(TestPki.server("h2"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
        return TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString())
                .set("server.tls.hsts", "1d")
                .start(ROUTES);
    }

    @Test
    void negotiatesH2OverAlpnAndKeepsHttp11ForClientsThatAskForIt() throws IOException {
        try (TestServer server = https()) {
            TestClient http11 = server.httpsClient(TestPki.trust());
            TestClient h2 = http11.http2();

            TestResponse overH2 = h2.get("/hello");
            TestResponse overHttp11 = http11.get("/hello");

            assertThat(overH2.raw().version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(overH2.body()).isEqualTo("hello over https");
            assertThat(overH2.header("strict-transport-security")).contains("max-age=86400");
            assertThat(overH2.header("x-request-id")).isPresent();
            assertThat(overHttp11.raw().version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(overHttp11.body()).isEqualTo("hello over https");
            assertThat(h2.post("/echo", "{\"a\":1}").body()).isEqualTo("got {\"a\":1}");
        }
    }

    @Test
    void upgradesCleartextToH2c() {
        try (TestServer server = TestServer.start(ROUTES)) {
            TestClient h2c = server.client(Protocol.H2C);

            TestResponse first = h2c.get("/hello");
            TestResponse second = h2c.post("/echo", "x".repeat(100_000));

            assertThat(first.raw().version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(first.body()).isEqualTo("hello over http");
            assertThat(second.raw().version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(second.body()).isEqualTo("got " + "x".repeat(100_000));
        }
    }

    @Test
    void filesAndStreamsTravelAsFlowControlledDataFramesOverTls() throws IOException {
        try (TestServer server = https()) {
            TestClient h2 = server.httpsClient(TestPki.trust()).http2();

            TestResponse file = h2.get("/file");
            TestResponse stream = h2.get("/stream");

            assertThat(file.raw().version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(file.bodyBytes()).isEqualTo(FILE_CONTENT);
            assertThat(stream.raw().version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(stream.body().lines()).hasSize(100).startsWith("chunk 0").endsWith("chunk 99");
        }
    }

    @Test
    void manyConcurrentStreamsOnOneConnectionEachGetTheirOwnAnswer() throws Exception {
        try (TestServer server = TestServer.start(ROUTES)) {
            TestClient h2c = server.client(Protocol.H2C);
            h2c.get("/hello");
            List<CompletableFuture<TestResponse>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(h2c.sendAsync(h2c.request("/echo").POST(java.net.http.HttpRequest.BodyPublishers.ofString("n" + i))));
            }
            for (int i = 0; i < answers.size(); i++) {
                TestResponse response = answers.get(i).get(30, TimeUnit.SECONDS);
                assertThat(response.raw().version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(response.body()).isEqualTo("got n" + i);
            }
            assertThat(server.client().get("/metrics").body())
                    .containsPattern("http_server_requests_seconds_count\\{method=\"POST\",outcome=\"SUCCESS\",protocol=\"h2\",route=\"/echo\",status=\"200\"} 50");
        }
    }

    /** {@code count} lines, one chunk each, emitted as they are requested. */
    private record Lines(int count) implements Flow.Publisher<ByteBuffer> {

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private int next;
                private boolean done;

                @Override
                public void request(long n) {
                    for (long i = 0; i < n && !done; i++) {
                        if (next == count) {
                            done = true;
                            subscriber.onComplete();
                            return;
                        }
                        subscriber.onNext(ByteBuffer.wrap(("chunk " + next++ + "\n").getBytes(StandardCharsets.UTF_8)));
                    }
                }

                @Override
                public void cancel() {
                    done = true;
                }
            });
        }
    }
}
