package dev.spindle.test.realtime;

import static dev.spindle.test.realtime.RawWebSocket.PING;
import static dev.spindle.test.realtime.RawWebSocket.PONG;
import static dev.spindle.test.realtime.RawWebSocket.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.AttributeKey;
import dev.spindle.http.HttpException;
import dev.spindle.http.Middleware;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.WebSocket;
import dev.spindle.http.WebSocketOptions;
import dev.spindle.test.SpindleExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a WebSocket route does around the protocol: middleware before the upgrade, the origin
 * check, subprotocols, refusals of non-upgrade requests, keep-alive, compression and metrics.
 */
class WebSocketEndpointTest {

    private static final AttributeKey<String> USER = AttributeKey.of("user");
    private static final List<WebSocket.CloseStatus> closes = new CopyOnWriteArrayList<>();

    /** Authentication as an app would write it: the socket only opens for a known token. */
    private static final Middleware AUTH = (ctx, next) -> {
        String token = ctx.header("Authorization").orElseThrow(() -> new HttpException(401, "Sign in first"));
        ctx.attribute(USER, token.substring("Bearer ".length()));
        return next.handle(ctx);
    };

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.group("/private", RouteOptions.builder().use(AUTH).build(), group -> group.websocket("/whoami",
                ws -> ws.send("you are " + ws.request().attribute(USER).orElseThrow())));
        app.websocket("/chat", WebSocketOptions.builder().subprotocols("chat.v2", "chat.v1").build(),
                ws -> ws.send("speaking " + ws.subprotocol().orElse("nothing")));
        app.websocket("/partner", WebSocketOptions.builder().allowedOrigins("https://partner.example").build(),
                ws -> ws.send("hi"));
        app.websocket("/open", WebSocketOptions.builder().anyOrigin().build(), ws -> ws.send("hi"));
        app.websocket("/default", ws -> ws.send("hi"));
        app.websocket("/lively", WebSocketOptions.builder().pingInterval(Duration.ofMillis(50))
                .pongTimeout(Duration.ofMillis(500)).build(), ws -> ws.onClose(closes::add));
        app.websocket("/deflate", WebSocketOptions.builder().compression(true).build(), ws -> ws.onText(ws::send));
        app.websocket("/upper", WebSocketOptions.builder().pingInterval(Duration.ZERO).build(), ws -> ws.onText(text ->
                ws.offload(() -> text.toUpperCase(java.util.Locale.ROOT)).thenAccept(ws::send)));
        app.websocket("/echo/{room}", ws -> ws.onText(text -> ws.send(ws.pathParam("room") + ": " + text)));
    });

    @Test
    void theRoutesMiddlewareRunsBeforeTheUpgradeAndCanRefuseIt() throws IOException {
        try (RawWebSocket refused = RawWebSocket.connect(server.port(), "/private/whoami")) {
            assertThat(refused.status).isEqualTo(401);
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/private/whoami", "Authorization: Bearer ada\r\n")) {
            assertThat(ws.status).isEqualTo(101);
            assertThat(ws.read().text()).isEqualTo("you are ada");
        }
    }

    // The upgrade request's 10 s deadline must not bound a socket's work: it outlives its request by far.
    @Test
    void listenersOffloadWorkAndResumeOnTheirLoop() throws IOException {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/upper")) {
            for (int i = 0; i < 3; i++) {
                ws.sendText("shout " + i);
                assertThat(ws.read().text()).isEqualTo("SHOUT " + i);
            }
        }
    }

    @Test
    void aRequestThatIsNotAnUpgradeGets426() throws IOException {
        try (var raw = server.raw()) {
            raw.send("GET /default HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(426);
        }
    }

    @Test
    void anUnsupportedVersionGets426NamingVersion13() throws IOException {
        try (var raw = server.raw()) {
            raw.send("GET /default HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
            var response = raw.read();
            assertThat(response.status()).isEqualTo(426);
            assertThat(response.header("sec-websocket-version")).isEqualTo("13");
        }
    }

    @Test
    void theFirstOfferedSubprotocolTheEndpointSpeaksIsAgreed() throws IOException {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/chat", "Sec-WebSocket-Protocol: chat.v1, chat.v3\r\n")) {
            assertThat(ws.headers.get("sec-websocket-protocol")).isEqualTo("chat.v1");
            assertThat(ws.read().text()).isEqualTo("speaking chat.v1");
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/chat", "Sec-WebSocket-Protocol: other\r\n")) {
            assertThat(ws.headers).doesNotContainKey("sec-websocket-protocol");
            assertThat(ws.read().text()).isEqualTo("speaking nothing");
        }
    }

    // Cross-site WebSocket hijacking: another site's page opening a socket that carries the user's cookies.
    @Test
    void aCookieCarryingUpgradeFromAnotherOriginIsRefusedByDefault() throws IOException {
        String evil = "Origin: https://evil.example\r\nCookie: SESSION=abc\r\n";
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/default", evil)) {
            assertThat(ws.status).isEqualTo(403);
        }
        String same = "Origin: http://127.0.0.1:" + server.port() + "\r\nCookie: SESSION=abc\r\n";
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/default", same)) {
            assertThat(ws.status).isEqualTo(101);
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/default", "Origin: https://evil.example\r\n")) {
            assertThat(ws.status).as("no cookies, nothing to hijack").isEqualTo(101);
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/open", evil)) {
            assertThat(ws.status).isEqualTo(101);
        }
    }

    @Test
    void configuredOriginsAreCheckedForEveryUpgrade() throws IOException {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/partner", "Origin: https://evil.example\r\n")) {
            assertThat(ws.status).isEqualTo(403);
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/partner", "Origin: https://partner.example\r\n")) {
            assertThat(ws.status).isEqualTo(101);
        }
    }

    @Test
    void pingsKeepAnAnsweringClientAndDropOneThatStopsAnswering() throws IOException {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/lively")) {
            for (int i = 0; i < 5; i++) {
                RawWebSocket.Frame ping = ws.read();
                assertThat(ping.opcode()).isEqualTo(PING);
                ws.send(true, PONG, ping.payload());
            }
            // Now silent: the next ping goes unanswered and the server drops the connection.
            assertThat(ws.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !closes.isEmpty());
        assertThat(closes.get(0).code()).isEqualTo(WebSocket.ABNORMAL_CLOSURE);
    }

    @Test
    void permessageDeflateIsAgreedWhenOfferedAndCompressesBothWays() throws IOException {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/deflate",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")) {
            assertThat(ws.headers.get("sec-websocket-extensions")).startsWith("permessage-deflate");
            String text = "compress me ".repeat(50);
            ws.send(true, 0b100, TEXT, deflate(text.getBytes(StandardCharsets.UTF_8)), true);
            RawWebSocket.Frame echo = ws.read();
            assertThat(echo.rsv()).as("RSV1: compressed").isEqualTo(0b100);
            assertThat(echo.payload().length).isLessThan(text.length() / 4);
            assertThat(new String(inflate(echo.payload()), StandardCharsets.UTF_8)).isEqualTo(text);
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/deflate")) {
            assertThat(ws.headers).doesNotContainKey("sec-websocket-extensions");
            ws.sendText("plain");
            RawWebSocket.Frame echo = ws.read();
            assertThat(echo.rsv()).isZero();
            assertThat(echo.text()).isEqualTo("plain");
        }
    }

    @Test
    void worksWithTheJdkClientAndCountsMessagesAndCloses() throws Exception {
        MeterRegistry registry = server.app().meterRegistry();
        CompletableFuture<String> reply = new CompletableFuture<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        java.net.http.WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo/lobby"), new java.net.http.WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(java.net.http.WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
        await().until(() -> gauge(registry, "/echo/{room}") == 1);
        ws.sendText("hello", true).get(30, TimeUnit.SECONDS);
        assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("lobby: hello");
        ws.sendClose(1000, "done").get(30, TimeUnit.SECONDS);
        assertThat(closed.get(30, TimeUnit.SECONDS)).isEqualTo(1000);

        await().untilAsserted(() -> {
            assertThat(gauge(registry, "/echo/{room}")).isZero();
            assertThat(count(registry, "spindle.websocket.closes", "code", "1000", "initiator", "client")).isEqualTo(1);
            assertThat(count(registry, "spindle.websocket.messages", "direction", "in")).isEqualTo(1);
            assertThat(count(registry, "spindle.websocket.messages", "direction", "out")).isEqualTo(1);
        });
    }

    private static double gauge(MeterRegistry registry, String route) {
        var gauge = registry.find("spindle.websocket.connections").tag("route", route).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private static double count(MeterRegistry registry, String name, String... tags) {
        Counter counter = registry.find(name).tag("route", "/echo/{room}").tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static byte[] deflate(byte[] input) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(input);
        byte[] buffer = new byte[input.length + 64];
        int length = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        deflater.end();
        return java.util.Arrays.copyOf(buffer, length - 4); // without the 00 00 ff ff tail (RFC 7692 7.2.1)
    }

    private static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater(true);
        byte[] tail = {0, 0, (byte) 0xFF, (byte) 0xFF};
        byte[] input = java.util.Arrays.copyOf(compressed, compressed.length + 4);
        System.arraycopy(tail, 0, input, compressed.length, 4);
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = inflater.inflate(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError(e);
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }
}
