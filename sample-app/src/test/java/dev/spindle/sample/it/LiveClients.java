package dev.spindle.sample.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * An SSE client on {@code /api/v1/events} and a WebSocket client on {@code /api/v1/live} of one
 * instance, each remembering when every event reached it ({@link System#nanoTime()}).
 */
final class LiveClients implements AutoCloseable {

    private final Map<String, Long> sse = new ConcurrentHashMap<>();
    private final Map<String, Long> webSocket = new ConcurrentHashMap<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final WebSocket ws;
    private volatile Flow.Subscription stream;

    private LiveClients(int port) throws Exception {
        client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events")).build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        stream = subscription;
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(String line) {
                        if (line.startsWith("data: ")) {
                            sse.putIfAbsent(line.substring(6), System.nanoTime());
                        }
                    }

                    @Override
                    public void onError(Throwable failure) {
                    }

                    @Override
                    public void onComplete() {
                    }
                }));
        ws = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/live"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        webSocket.putIfAbsent(data.toString(), System.nanoTime());
                        socket.request(1);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
    }

    /** Connects both clients to the instance on {@code port}. */
    static LiveClients connect(int port) throws Exception {
        return new LiveClients(port);
    }

    /** When {@code event} reached the SSE client, if it did. */
    Long sseArrival(String event) {
        return sse.get(event);
    }

    /** When {@code event} reached the WebSocket client, if it did. */
    Long webSocketArrival(String event) {
        return webSocket.get(event);
    }

    @Override
    public void close() {
        ws.abort();
        Flow.Subscription open = stream;
        if (open != null) {
            open.cancel();
        }
    }
}
