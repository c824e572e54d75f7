package dev.spindle.sample.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.SseOptions;
import dev.spindle.test.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/nginx/nginx.conf} (checked by {@code nginx -t}, then run) in front of an app with a
 * WebSocket and an SSE route: the upgrade goes through {@code /api/v1/live}, and SSE events under
 * {@code /api/v1/events} reach the client while the stream is still open, so nginx does not buffer them.
 */
class RealtimeThroughNginxTest {

    @Test
    void webSocketsAndServerSentEventsPassThroughNginx(@TempDir Path workDir) throws Exception {
        Path nginxBinary = requireNginx();
        List<dev.spindle.http.SseSink> streams = new CopyOnWriteArrayList<>();
        try (TestServer app = TestServer.start(spindle -> {
            spindle.websocket("/api/v1/live", ws -> ws.onText(text -> ws.send("echo " + text)));
            spindle.sse("/api/v1/events", SseOptions.builder().heartbeat(Duration.ofSeconds(1)).build(), (ctx, sink) -> {
                streams.add(sink);
                sink.send("first");
            });
        })) {
            int port = FreePorts.next();
            Files.createDirectories(workDir);
            try (Nginx nginx = Nginx.start(nginxBinary, port, List.of(app.port()), workDir)) {
                HttpClient client = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                        .until(() -> client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/health/live")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
                assertThat(nginx.isAlive()).isTrue();

                CompletableFuture<String> echo = new CompletableFuture<>();
                WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/live"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                echo.complete(data.toString());
                                return null;
                            }
                        }).get(30, TimeUnit.SECONDS);
                ws.sendText("through nginx", true).get(30, TimeUnit.SECONDS);
                assertThat(echo.get(30, TimeUnit.SECONDS)).isEqualTo("echo through nginx");
                ws.abort();

                List<String> lines = new CopyOnWriteArrayList<>();
                client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events")).build(),
                        HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                            @Override
                            public void onSubscribe(Flow.Subscription subscription) {
                                subscription.request(Long.MAX_VALUE);
                            }

                            @Override
                            public void onNext(String line) {
                                lines.add(line);
                            }

                            @Override
                            public void onError(Throwable throwable) {
                                lines.add("error " + throwable);
                            }

                            @Override
                            public void onComplete() {
                                lines.add("complete");
                            }
                        }));
                // The stream stays open: only an unbuffered proxy lets these lines through now.
                await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("data: first"));
                streams.get(0).send("second");
                await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("data: second"));
                await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains(":"));
                assertThat(lines).doesNotContain("complete");
            }
        }
    }

    private static Path requireNginx() {
        Optional<Path> nginx = Tools.find("nginx");
        if (nginx.isEmpty()) {
            String message = "nginx is not installed (apt-get install nginx-light): the realtime proxy test cannot run";
            if (Tools.isCi()) {
                fail(message + ", and CI=true requires it");
            }
            System.err.println("!!! " + message + "; SKIPPED !!!");
            Assumptions.abort(message);
        }
        return nginx.get();
    }
}
