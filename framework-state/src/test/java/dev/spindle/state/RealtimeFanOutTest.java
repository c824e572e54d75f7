package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.TestServer;
import dev.spindle.test.redis.RedisExtension;
import dev.spindle.test.redis.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three app instances on one Redis (three servers, three Redis connections, one JVM), each with a
 * WebSocket and an SSE endpoint fed by the broadcaster: what is published on one instance reaches
 * the WebSocket and SSE clients of the other two, and keeps reaching them while Redis is killed
 * and restarted mid-stream. Loss and duplicates per client are measured and printed.
 */
class RealtimeFanOutTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.ownServer(true); // AOF, fsync on every write

    private static final int MESSAGES = 600;
    private static final String READY = "ready";

    /** One client: what it received, in order. */
    private record Client(String name, List<String> received) {}

    @Test
    void publishesOnOneInstanceReachWebSocketAndSseClientsOfTheOthersAcrossARedisRestart() throws Exception {
        String prefix = Fixtures.uniquePrefix();
        List<TestServer> servers = new ArrayList<>();
        List<State> states = new CopyOnWriteArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        List<WebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                servers.add(TestServer.builder().set("redis.url", redis.url()).set("redis.key-prefix", prefix)
                        .start(app -> states.add(routes(app, State.install(app)))));
            }
            List<Client> clients = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                Client ws = new Client("websocket@" + i, new CopyOnWriteArrayList<>());
                sockets.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + servers.get(i).port()
                        + "/ws/lobby"), listener(ws)).get(30, TimeUnit.SECONDS));
                Client sse = new Client("sse@" + i, new CopyOnWriteArrayList<>());
                http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servers.get(i).port()
                        + "/sse/lobby")).build(), HttpResponse.BodyHandlers.fromLineSubscriber(lines(sse)));
                clients.add(ws);
                clients.add(sse);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream()
                    .allMatch(client -> client.received().contains(READY)));

            Broadcaster publisher = states.get(0).broadcaster();
            RedisConnection connection = states.get(0).redis().orElseThrow();
            Map<String, Boolean> published = new LinkedHashMap<>();
            RedisServer process = redis.server().orElseThrow();
            for (int i = 0; i < MESSAGES; i++) {
                if (i == MESSAGES / 3) {
                    process.kill();
                    await().atMost(Duration.ofSeconds(30)).until(() -> !connection.isConnected());
                    process.restart();
                }
                String message = "m" + i;
                boolean stored = publisher.publish("room:lobby", message).handle((ok, failure) -> failure == null)
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
                published.put(message, stored);
                if (!stored) {
                    await().atMost(Duration.ofSeconds(60)).until(connection::isConnected);
                }
            }
            publisher.publish("room:lobby", "end").toCompletableFuture().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream()
                    .allMatch(client -> client.received().contains("end")));
            report(published, clients);

            // A line a WebSocket client sends on instance 0 goes through the broadcaster to the others.
            WebSocket speaker = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
                    + servers.get(0).port() + "/ws/lobby"), new WebSocket.Listener() {}).get(30, TimeUnit.SECONDS);
            sockets.add(speaker);
            speaker.sendText("spoken on 0", true).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream()
                    .allMatch(client -> client.received().contains("spoken on 0")));
        } finally {
            if (!redis.server().orElseThrow().isRunning()) {
                redis.server().orElseThrow().restart();
            }
            sockets.forEach(WebSocket::abort);
            servers.forEach(TestServer::close);
        }
    }

    /** The app of each instance: a WebSocket and an SSE endpoint that relay a broadcaster topic. */
    private static State routes(dev.spindle.http.Spindle app, State state) {
        Broadcaster broadcaster = state.broadcaster();
        app.websocket("/ws/{room}", ws -> {
            Subscription feed = broadcaster.subscribe("room:" + ws.pathParam("room"), ws.executor(), ws::send);
            feed.active().thenRun(() -> ws.send(READY));
            ws.onText(text -> broadcaster.publish("room:" + ws.pathParam("room"), text));
            ws.onClose(status -> feed.close());
        });
        app.sse("/sse/{room}", (ctx, sink) -> {
            Subscription feed = broadcaster.subscribe("room:" + ctx.pathParam("room"), sink.executor(), sink::send);
            feed.active().thenRun(() -> sink.send(READY));
            sink.onClose(feed::close);
        });
        app.post("/publish/{room}", ctx -> broadcaster.publish("room:" + ctx.pathParam("room"), ctx.bodyText())
                .thenApply(done -> Response.empty(204)));
        return state;
    }

    private static WebSocket.Listener listener(Client client) {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    client.received().add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
    }

    private static Flow.Subscriber<String> lines(Client client) {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                if (line.startsWith("data: ")) {
                    client.received().add(line.substring("data: ".length()));
                }
            }

            @Override
            public void onError(Throwable failure) {
                client.received().add("error: " + failure);
            }

            @Override
            public void onComplete() {
                client.received().add("complete");
            }
        };
    }

    private static void report(Map<String, Boolean> published, List<Client> clients) {
        long failed = published.values().stream().filter(stored -> !stored).count();
        System.out.printf("[realtime-fanout] published %d on instance 0 with a Redis kill and restart after %d: "
                + "%d acknowledged, %d failed (in doubt)%n", published.size(), MESSAGES / 3, published.size() - failed,
                failed);
        for (Client client : clients) {
            Map<String, Integer> counts = new ConcurrentHashMap<>();
            client.received().stream().filter(message -> message.startsWith("m"))
                    .forEach(message -> counts.merge(message, 1, Integer::sum));
            long lost = published.entrySet().stream().filter(e -> e.getValue() && !counts.containsKey(e.getKey())).count();
            long duplicated = counts.values().stream().filter(count -> count > 1).count();
            long inDoubtDelivered = published.entrySet().stream()
                    .filter(e -> !e.getValue() && counts.containsKey(e.getKey())).count();
            System.out.printf("[realtime-fanout] %s: received %d, lost %d, duplicated %d, failed-but-delivered %d%n",
                    client.name(), counts.size(), lost, duplicated, inDoubtDelivered);
            assertThat(lost).as("acknowledged messages lost by %s", client.name()).isZero();
            assertThat(duplicated).as("messages received twice by %s", client.name()).isZero();
            List<Integer> order = client.received().stream().filter(message -> message.matches("m\\d+"))
                    .map(message -> Integer.parseInt(message.substring(1))).toList();
            assertThat(order).as("order of messages at %s", client.name()).isSorted();
        }
    }
}
