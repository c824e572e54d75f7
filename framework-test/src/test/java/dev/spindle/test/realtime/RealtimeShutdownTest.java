package dev.spindle.test.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.SseEvent;
import dev.spindle.http.SseOptions;
import dev.spindle.test.TestServer;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown with WebSockets and SSE streams open: each is asked to end (1001, a last
 * event), clients that answer are done at once, clients that do not read are cut off after a few
 * seconds, and the whole stop takes a fraction of the grace period instead of all of it.
 */
class RealtimeShutdownTest {

    private static final Duration GRACE = Duration.ofSeconds(30);
    private final AtomicInteger open = new AtomicInteger();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(app -> {
            app.websocket("/ws", ws -> {
                open.incrementAndGet();
                ws.onText(ws::send);
            });
            app.sse("/sse", SseOptions.builder().shutdownEvent(SseEvent.of("bye").event("shutdown")).build(),
                    (ctx, sink) -> {
                        open.incrementAndGet();
                        sink.send("hello");
                    });
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void openSocketsAndStreamsEndPromptlyAndCleanly() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws");
             RawSse sse = RawSse.connect(server.port(), "/sse");
             Socket stalledWs = SlowClients.stalledWebSocket(server.port(), "/ws");
             Socket stalledSse = SlowClients.stalledSse(server.port(), "/sse")) {
            assertThat(stalledWs.isConnected() && stalledSse.isConnected()).isTrue();
            assertThat(sse.nextData().data()).isEqualTo("hello");
            await().until(() -> open.get() == 4);

            long start = System.nanoTime();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.app().stop(GRACE));

            RawWebSocket.Frame close = ws.readSkippingPings();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1001);
            ws.sendClose(1001, "");
            assertThat(ws.closedByServer()).isTrue();

            RawSse.Event last = sse.nextData();
            assertThat(last.event()).isEqualTo("shutdown");
            assertThat(last.data()).isEqualTo("bye");
            assertThat(sse.ends()).isTrue();

            stopping.get(GRACE.toSeconds(), TimeUnit.SECONDS);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("[realtime-shutdown] stopped in %d ms with 2 answering and 2 stalled clients (grace %d ms)%n",
                    elapsed, GRACE.toMillis());
            assertThat(elapsed).as("well within the grace period").isLessThan(GRACE.toMillis() / 2);
        }
    }
}
