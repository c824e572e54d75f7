package dev.spindle.test.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.OverflowPolicy;
import dev.spindle.http.WebSocket;
import dev.spindle.http.WebSocketOptions;
import dev.spindle.test.SpindleExtension;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that stops reading cannot make the server hold more than the endpoint's bound for it,
 * whatever is sent; the policy decides what happens past it (drop oldest, close 1008 or 1013) and
 * is counted; a fast client on the same event loop keeps getting every message meanwhile.
 */
class WebSocketBackpressureTest {

    private static final int BOUND = 64 << 10;
    private static final int MESSAGE = 4 << 10;
    private static final Map<String, List<WebSocket>> sockets = new ConcurrentHashMap<>();
    private static final List<WebSocket.CloseStatus> closes = new CopyOnWriteArrayList<>();
    private static final AtomicLong maxQueued = new AtomicLong();

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        endpoint(app, "/latest", OverflowPolicy.DROP_OLDEST);
        endpoint(app, "/strict", OverflowPolicy.CLOSE_TRY_AGAIN_LATER);
        endpoint(app, "/policy", OverflowPolicy.CLOSE_POLICY_VIOLATION);
    }).set("event-loops", "1"); // slow and fast clients share one loop

    private static void endpoint(dev.spindle.http.Spindle app, String path, OverflowPolicy policy) {
        app.websocket(path, WebSocketOptions.builder().maxQueuedBytes(BOUND).overflow(policy)
                .closeTimeout(Duration.ofMillis(200)).pingInterval(Duration.ZERO).build(), ws -> {
            sockets.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(ws);
            ws.onClose(closes::add);
        });
    }

    /** Sends {@code count} messages to every socket of {@code path}, from their loop, noting the largest queue seen. */
    private static void pump(String path, int count) {
        for (WebSocket ws : sockets.get(path)) {
            ws.executor().execute(() -> {
                for (int i = 0; i < count; i++) {
                    ws.send(new byte[MESSAGE]);
                    maxQueued.accumulateAndGet(ws.queuedBytes(), Math::max);
                }
            });
        }
    }

    @Test
    void dropOldestKeepsTheSlowClientWithinTheBoundWhileTheFastOneGetsEverything() throws IOException {
        try (Socket slow = SlowClients.stalledWebSocket(server.port(), "/latest");
             RawWebSocket fast = RawWebSocket.connect(server.port(), "/latest")) {
            assertThat(slow.isConnected()).isTrue();
            await().until(() -> sockets.getOrDefault("/latest", List.of()).size() == 2);
            int received = 0;
            for (int round = 0; round < 40; round++) { // 40 x 64 x 4 KiB = 10 MiB per client
                pump("/latest", 64);
                for (int i = 0; i < 64; i++) {
                    assertThat(fast.read().payload()).hasSize(MESSAGE);
                    received++;
                }
            }
            assertThat(received).isEqualTo(40 * 64);
            WebSocket slowSocket = sockets.get("/latest").stream().filter(ws -> ws.dropped() > 0).findFirst().orElseThrow();
            assertThat(slowSocket.isOpen()).isTrue();
            assertThat(maxQueued.get()).isLessThanOrEqualTo(BOUND);
            assertThat(sockets.get("/latest").stream().filter(ws -> ws.dropped() == 0).count()).as("the fast one").isOne();
            await().untilAsserted(() -> assertThat(counter("spindle.websocket.dropped", "/latest"))
                    .isEqualTo(slowSocket.dropped()));
        }
    }

    @Test
    void aClosingPolicyClosesTheSlowClientWith1013AndCountsIt() throws IOException {
        assertClosesSlowClientWith("/strict", WebSocket.TRY_AGAIN_LATER);
    }

    @Test
    void thePolicyViolationVariantClosesWith1008() throws IOException {
        assertClosesSlowClientWith("/policy", WebSocket.POLICY_VIOLATION);
    }

    private static void assertClosesSlowClientWith(String path, int code) throws IOException {
        try (Socket slow = SlowClients.stalledWebSocket(server.port(), path)) {
            assertThat(slow.isConnected()).isTrue();
            await().until(() -> sockets.getOrDefault(path, List.of()).size() == 1);
            WebSocket ws = sockets.get(path).get(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                pump(path, 256);
                return !ws.isOpen();
            });
            // The client never answers the close frame: the close timeout ends the connection.
            await().atMost(Duration.ofSeconds(30)).until(() -> closes.stream().anyMatch(close -> close.code() == code));
            assertThat(ws.queuedBytes()).isZero();
            await().untilAsserted(() -> assertThat(server.app().meterRegistry().find("spindle.websocket.closes")
                    .tags("route", path, "code", Integer.toString(code), "initiator", "server").counter())
                    .isNotNull().extracting(Counter::count).isEqualTo(1.0));
        }
    }

    private static double counter(String name, String route) {
        Counter counter = server.app().meterRegistry().find(name).tag("route", route).counter();
        return counter == null ? 0 : counter.count();
    }
}
