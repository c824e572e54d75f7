package dev.spindle.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import io.micrometer.core.instrument.Gauge;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user created or deleted through the API is announced to SSE (/api/v1/events) and WebSocket (/api/v1/live) clients. */
class UserEventsTest {

    private static final String KEY = "test-key";

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(SampleApp::install)
            .set("sample.api-key", KEY)
            .set("sample.password-iterations", "1000");

    @Test
    void changesReachSseAndWebSocketClients() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> sse = new CopyOnWriteArrayList<>();
        http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/events")).build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(String line) {
                        if (line.startsWith("data: ")) {
                            sse.add(line.substring(6));
                        }
                    }

                    @Override
                    public void onError(Throwable failure) {
                    }

                    @Override
                    public void onComplete() {
                    }
                }));
        List<String> live = new CopyOnWriteArrayList<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/live"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        live.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("spindle.sse.streams") == 1
                && gauge("spindle.websocket.connections") == 1);

        TestResponse created = server.client().post("/api/v1/users",
                "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"password\":\"lovelace lovelace\"}", "X-Api-Key", KEY);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        String event = "{\"type\":\"user.created\",\"id\":\"" + id + "\"}";
        await().atMost(Duration.ofSeconds(30)).until(() -> sse.contains(event) && live.contains(event));

        assertThat(server.client().send(server.client().request("/api/v1/users/" + id).header("X-Api-Key", KEY)
                .DELETE()).status()).isEqualTo(204);
        String deleted = "{\"type\":\"user.deleted\",\"id\":\"" + id + "\"}";
        await().atMost(Duration.ofSeconds(30)).until(() -> sse.contains(deleted) && live.contains(deleted));
        ws.abort();
    }

    private static double gauge(String name) {
        Gauge gauge = server.app().meterRegistry().find(name).gauge();
        return gauge == null ? 0 : gauge.value();
    }
}
