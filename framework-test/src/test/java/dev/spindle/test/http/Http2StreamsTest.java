package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.TestServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP/2 streams on the wire (prior knowledge, raw frames): resets cancel work, shutdown sends GOAWAY and drains. */
class Http2StreamsTest {

    private final AtomicReference<CompletableFuture<Response>> slow = new AtomicReference<>();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(app -> {
            app.get("/slow", ctx -> {
                CompletableFuture<Response> pending = new CompletableFuture<>();
                // The handler hears of a reset stream, as of a client gone, through its request's cancellation.
                ctx.onCancel(() -> pending.cancel(true));
                slow.set(pending);
                return pending;
            });
            app.get("/fast", ctx -> Response.text("fast " + ctx.scheme()).completed());
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesPriorKnowledgeOnCleartext() {
        try (RawH2 h2 = RawH2.connect(server.port())) {
            h2.get(1, "/fast");
            h2.get(3, "/fast");

            assertThat(h2.response(1)).containsExactly("200", "fast http");
            assertThat(h2.response(3)).containsExactly("200", "fast http");
        }
    }

    @Test
    void advertisesItsLimitsAndWidensTheConnectionWindow() {
        try (RawH2 h2 = RawH2.connect(server.port())) {
            RawH2.Frame settings = h2.readUntil(RawH2.SETTINGS);
            java.util.Map<Integer, Long> values = new java.util.HashMap<>();
            java.nio.ByteBuffer payload = java.nio.ByteBuffer.wrap(settings.payload());
            while (payload.remaining() >= 6) {
                values.put(payload.getShort() & 0xffff, payload.getInt() & 0xffffffffL);
            }
            RawH2.Frame windowUpdate = h2.readUntil(RawH2.WINDOW_UPDATE);

            assertThat(values).containsEntry(3, 100L)  // SETTINGS_MAX_CONCURRENT_STREAMS
                    .containsEntry(4, 65_536L)          // SETTINGS_INITIAL_WINDOW_SIZE: 64 KiB per stream
                    .containsEntry(6, 8_192L);          // SETTINGS_MAX_HEADER_LIST_SIZE: http.max-header-size
            assertThat(windowUpdate.stream()).isZero();
            // From the protocol default of 64 KiB - 1 to server.http2.connection-window-size (1 MiB).
            assertThat(RawH2.Frame.int31(windowUpdate.payload())).isBetween((1 << 20) - 65_535, 1 << 20);
        }
    }

    @Test
    void aStreamResetCancelsItsRequestsWorkAndLeavesTheConnectionServing() {
        try (RawH2 h2 = RawH2.connect(server.port())) {
            h2.get(1, "/slow");
            await().until(() -> slow.get() != null);

            h2.rst(1, RawH2.CANCEL);

            await().until(() -> slow.get().isCancelled());
            MeterRegistry registry = server.app().meterRegistry();
            await().until(() -> registry.find("http.server.requests").tags("status", "499", "protocol", "h2").timer() != null);
            assertThat(registry.get("spindle.http.requests.active").gauge().value()).isZero();
            h2.get(3, "/fast");
            assertThat(h2.response(3)).containsExactly("200", "fast http");
        }
    }

    @Test
    void gracefulShutdownSendsGoawayAndLetsTheOpenStreamFinish() throws Exception {
        try (RawH2 h2 = RawH2.connect(server.port())) {
            h2.get(1, "/slow");
            await().until(() -> slow.get() != null);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.app().stop(Duration.ofSeconds(20)));
            RawH2.Frame goaway = h2.readUntil(RawH2.GOAWAY);

            assertThat(goaway).isNotNull();
            assertThat(goaway.errorCode()).isZero();
            assertThat(goaway.lastStreamId()).isEqualTo(1);
            assertThat(stopping).isNotDone();
            slow.get().complete(Response.text("slow done"));
            assertThat(h2.response(1)).containsExactly("200", "slow done");
            assertThat(h2.readUntil(-1)).as("the connection closes once its stream is done").isNull();
            stopping.get(30, TimeUnit.SECONDS);
        }
    }
}
