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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/2 streams on the wire (prior knowledge, raw frames): resets cancel work, shutdown sends GOAWAY and drains. */
class Http2StreamsTest {

    private final AtomicReference<CompletableFuture<Response>> slow = new AtomicReference<>();
    private TestServer server;

    @BeforeEach
    void start() {
        // The drain's final GOAWAY waits for the client's PING acknowledgement, however busy the machine.
        server = TestServer.builder().set("server.http2.drain-ping-timeout", "5m").start(app -> {
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

    @ParameterizedTest
    @ValueSource(strings = {"content-length=x", "content-length=1, 2", "connection=keep-alive", "te=gzip",
        "transfer-encoding=chunked", "keep-alive=timeout=5"})
    void aMalformedRequestIsResetWithProtocolErrorAndTheConnectionServesOn(String header) {
        String[] field = header.split("=", 2);
        try (RawH2 h2 = RawH2.connect(server.port())) {
            // RFC 9113 8.1.1 and 8.2.2: a malformed request is a stream error of type PROTOCOL_ERROR.
            h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1,
                    h2.block("GET", "/fast", java.util.Map.of(field[0], field[1])));
            h2.get(3, "/fast");

            assertThat(h2.response(1)).containsExactly(null, "RST " + RawH2.PROTOCOL_ERROR);
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
    void gracefulShutdownServesEveryStreamOpenedBeforeTheFinalGoawayAndLetsOpenStreamsFinish() throws Exception {
        try (RawH2 h2 = RawH2.connect(server.port())) {
            h2.get(1, "/slow");
            await().until(() -> slow.get() != null);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.app().stop(Duration.ofSeconds(20)));
            RawH2.Frame first = h2.readUntil(RawH2.GOAWAY);
            RawH2.Frame ping = h2.readUntil(RawH2.PING);

            assertThat(first.errorCode()).isZero();
            assertThat(first.lastStreamId()).as("the first GOAWAY still accepts every stream").isEqualTo(Integer.MAX_VALUE);
            // A request the client sent before it saw the GOAWAY (it crossed it on the wire): served, not refused.
            h2.get(3, "/fast");
            assertThat(h2.response(3)).containsExactly("200", "fast http");

            h2.frame(RawH2.PING, RawH2.ACK, 0, ping.payload());
            RawH2.Frame last = h2.readUntil(RawH2.GOAWAY);
            assertThat(last.errorCode()).isZero();
            assertThat(last.lastStreamId()).as("the final GOAWAY names the last stream served").isEqualTo(3);
            h2.get(5, "/fast"); // after the final GOAWAY: not processed, the client may retry it elsewhere

            assertThat(stopping).isNotDone();
            slow.get().complete(Response.text("slow done"));
            assertThat(h2.response(1)).containsExactly("200", "slow done");
            assertThat(h2.response(5)).as("the connection closes once its streams are done; stream 5 unanswered")
                    .containsExactly(null, "connection closed");
            stopping.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientThatNeverAcknowledgesTheDrainPingStillGetsTheFinalGoaway() throws Exception {
        TestServer quick = TestServer.builder().set("server.http2.drain-ping-timeout", "10ms")
                .start(app -> app.get("/fast", ctx -> Response.text("fast").completed()));
        try (RawH2 h2 = RawH2.connect(quick.port())) {
            h2.get(1, "/fast");
            assertThat(h2.response(1)).containsExactly("200", "fast");

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> quick.app().stop(Duration.ofSeconds(20)));
            assertThat(h2.readUntil(RawH2.GOAWAY).lastStreamId()).isEqualTo(Integer.MAX_VALUE);
            RawH2.Frame last = h2.readUntil(RawH2.GOAWAY);

            assertThat(last.lastStreamId()).isEqualTo(1);
            assertThat(h2.readUntil(-1)).as("then it closes: no stream is open").isNull();
            stopping.get(30, TimeUnit.SECONDS);
        } finally {
            quick.close();
        }
    }
}
