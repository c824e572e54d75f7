package dev.spindle.test.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.OverflowPolicy;
import dev.spindle.http.SseOptions;
import dev.spindle.http.SseSink;
import dev.spindle.http.WebSocket;
import dev.spindle.http.WebSocketOptions;
import dev.spindle.test.SpindleExtension;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In a JVM with a 128 MiB heap (the {@code small-heap} surefire execution), 300 MiB are sent to a
 * WebSocket client and an SSE client that never read, and to a fast WebSocket client on the same
 * event loop: only the per-connection bounds keep the heap from running out, and the fast client
 * gets every message meanwhile.
 */
@Tag("small-heap")
class RealtimeSmallHeapTest {

    private static final long TOTAL = 300L << 20;
    private static final int MESSAGE = 64 << 10;
    private static final int PER_ROUND = 16;
    private static final List<WebSocket> sockets = new CopyOnWriteArrayList<>();
    private static final List<SseSink> streams = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.websocket("/ws", WebSocketOptions.builder().maxMessageSize(MESSAGE).maxFrameSize(MESSAGE)
                .maxQueuedBytes(1 << 20).overflow(OverflowPolicy.DROP_OLDEST).pingInterval(Duration.ZERO).build(),
                sockets::add);
        app.sse("/sse", SseOptions.builder().maxQueuedBytes(1 << 20).overflow(OverflowPolicy.DROP_OLDEST)
                .heartbeat(Duration.ZERO).build(), (ctx, sink) -> streams.add(sink));
    }).set("event-loops", "1");

    @Test
    void slowClientsCannotGrowTheHeapWhileAFastOneIsServed() throws IOException {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(TOTAL);
        char[] message = "m".repeat(MESSAGE).toCharArray();
        try (Socket slowWs = SlowClients.stalledWebSocket(server.port(), "/ws");
             Socket slowSse = SlowClients.stalledSse(server.port(), "/sse");
             RawWebSocket fast = RawWebSocket.connect(server.port(), "/ws")) {
            assertThat(slowWs.isConnected() && slowSse.isConnected()).isTrue();
            await().until(() -> sockets.size() == 2 && streams.size() == 1);
            long rounds = TOTAL / ((long) MESSAGE * PER_ROUND);
            for (long round = 0; round < rounds; round++) {
                for (WebSocket ws : sockets) {
                    ws.executor().execute(() -> {
                        for (int i = 0; i < PER_ROUND; i++) {
                            ws.send(String.valueOf(message)); // a distinct 64 KiB message each time
                        }
                    });
                }
                SseSink sse = streams.get(0);
                sse.executor().execute(() -> {
                    for (int i = 0; i < PER_ROUND; i++) {
                        sse.send(String.valueOf(message));
                    }
                });
                for (int i = 0; i < PER_ROUND; i++) {
                    assertThat(fast.read().payload()).hasSize(MESSAGE);
                }
            }
            WebSocket slow = sockets.stream().filter(ws -> ws.dropped() > 0).findFirst().orElseThrow();
            System.out.printf("[realtime-small-heap] %d MiB sent to each client with a %d MiB heap: fast client got all "
                    + "%d messages; slow WebSocket dropped %d (queue %d bytes), slow SSE dropped %d%n", TOTAL >> 20,
                    Runtime.getRuntime().maxMemory() >> 20, rounds * PER_ROUND, slow.dropped(), slow.queuedBytes(),
                    streams.get(0).dropped());
            assertThat(slow.queuedBytes()).isLessThanOrEqualTo(1 << 20);
            assertThat(streams.get(0).dropped()).isPositive();
        }
    }
}
