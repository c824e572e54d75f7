package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.Protocol;
import dev.spindle.test.TestServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The known HTTP/2 attacks, sent as raw frames: each attacker gets GOAWAY and is disconnected,
 * the work it started is cancelled, nothing is left behind (requests in flight, connections,
 * buffers: leak detection is paranoid), and other clients are served throughout.
 */
class Http2AttacksTest {

    private final Queue<CompletableFuture<Response>> pending = new ConcurrentLinkedQueue<>();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.builder()
                .set("server.http2.max-resets", "100")
                .set("server.http2.max-queued-control-frames", "100")
                .start(app -> {
                    app.get("/slow", ctx -> {
                        CompletableFuture<Response> work = new CompletableFuture<>();
                        ctx.onCancel(() -> work.cancel(true));
                        pending.add(work);
                        return work;
                    });
                    app.get("/fast", ctx -> Response.text("fast").completed());
                });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // CVE-2023-44487: open a stream, reset it at once, repeat; each costs the server a request, the client nothing.
    @Test
    void rapidResetIsCutOffWithEnhanceYourCalmAndItsWorkCancelled() throws Exception {
        try (RawH2 attacker = RawH2.connect(server.port())) {
            CompletableFuture<List<RawH2.Frame>> received = attacker.readAllAsync();
            byte[] block = attacker.block("GET", "/slow", Map.of());
            int sent = 0;
            for (int stream = 1; stream < 20_000
                    && attacker.tryFrame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, stream, block)
                    && attacker.tryFrame(RawH2.RST_STREAM, 0, stream, RawH2.int32(RawH2.CANCEL)); stream += 2) {
                sent++;
            }

            assertThat(received.get(30, TimeUnit.SECONDS)).as("frames after %d resets", sent)
                    .anyMatch(frame -> frame.type() == RawH2.GOAWAY && frame.errorCode() == RawH2.ENHANCE_YOUR_CALM);
        }
        assertNothingLeftAndOthersServed("enhance_your_calm");
        // However many pairs the socket buffers took before the server read them (all 10,000 on a
        // busy machine), the handlers it started stop near the limit of 100 resets.
        assertThat(pending).isNotEmpty().hasSizeLessThan(1_000).allMatch(CompletableFuture::isCancelled);
    }

    // CVE-2024-27316 and kin: a header block that never ends, one tiny CONTINUATION frame at a time.
    @Test
    void continuationFloodIsCutOff() throws Exception {
        try (RawH2 attacker = RawH2.connect(server.port())) {
            CompletableFuture<List<RawH2.Frame>> received = attacker.readAllAsync();
            byte[] block = attacker.block("GET", "/fast", Map.of("x-pad", "a".repeat(50_000)));
            attacker.frame(RawH2.HEADERS, 0, 1, java.util.Arrays.copyOfRange(block, 0, 10));
            int sent = 0;
            for (int i = 10; i < block.length && attacker.tryFrame(RawH2.CONTINUATION, 0, 1, new byte[] {block[i]}); i++) {
                sent++;
            }

            assertThat(sent).isLessThan(block.length - 10);
            assertThat(received.get(30, TimeUnit.SECONDS)).as("frames after %d CONTINUATION frames", sent)
                    .anyMatch(frame -> frame.type() == RawH2.GOAWAY && frame.errorCode() == RawH2.ENHANCE_YOUR_CALM);
        }
        assertNothingLeftAndOthersServed("enhance_your_calm");
    }

    // A few bytes of HPACK that decode to megabytes: one large header put in the dynamic table, then referenced 2,000 times.
    // The decoder counts the decoded size and stops keeping headers past the limit: the stream gets a 431.
    @Test
    void hpackBombIsA431WithoutTheHeadersEverBeingHeld() {
        try (RawH2 attacker = RawH2.connect(server.port())) {
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.writeBytes(new byte[] {(byte) 0x82, (byte) 0x86, (byte) 0x84}); // :method GET, :scheme http, :path /
            block.write(0x40); // literal with incremental indexing, new name
            block.write(6);
            block.writeBytes("x-bomb".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            block.writeBytes(new byte[] {0x7f, (byte) 0xa1, 0x1e}); // value length 4000 (7-bit prefix integer)
            block.writeBytes("b".repeat(4000).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int i = 0; i < 2000; i++) {
                block.write(0x80 | 62); // the dynamic table's first entry, again: 4 KB more per byte
            }
            attacker.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, block.toByteArray());

            assertThat(attacker.response(1)[0]).isEqualTo("431");
        }
        assertNothingLeftAndOthersServed(null);
    }

    @Test
    void aStreamBeyondTheConcurrencyLimitIsRefusedAndTheOthersCarryOn() {
        try (RawH2 client = RawH2.connect(server.port())) {
            for (int i = 0; i < 100; i++) {
                client.get(2 * i + 1, "/slow");
            }
            await().until(() -> pending.size() == 100);

            client.get(201, "/fast");

            assertThat(client.response(201)[1]).isEqualTo("RST " + RawH2.REFUSED_STREAM);
            pending.forEach(work -> work.complete(Response.text("done")));
            for (int i = 0; i < 100; i++) {
                assertThat(client.response(2 * i + 1)).containsExactly("200", "done");
            }
            client.get(203, "/fast");
            assertThat(client.response(203)).containsExactly("200", "fast");
        }
        assertNothingLeftAndOthersServed(null);
    }

    @Test
    void aHeaderListOverTheLimitIsA431AndTheConnectionServesOn() {
        try (RawH2 client = RawH2.connect(server.port())) {
            client.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1,
                    client.block("GET", "/fast", Map.of("x-big", "a".repeat(9_000))));

            assertThat(client.response(1)[0]).isEqualTo("431");
            client.get(3, "/fast");
            assertThat(client.response(3)).containsExactly("200", "fast");
        }
    }

    // SETTINGS and PING each oblige the server to answer; a client that never reads makes those answers pile up.
    @ParameterizedTest
    @ValueSource(ints = {RawH2.PING, RawH2.SETTINGS})
    void controlFrameFloodFromAClientThatDoesNotReadIsCutOff(int type) throws Exception {
        try (RawH2 attacker = RawH2.connect(server.port(), 4096)) {
            CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> {
                byte[] payload = type == RawH2.PING ? new byte[8] : new byte[0];
                return attacker.flood(type, 0, 0, payload, 5_000_000);
            });
            try {
                int sent = flood.get(60, TimeUnit.SECONDS);
                assertThat(sent).isLessThan(5_000_000);
            } catch (TimeoutException e) {
                throw new AssertionError("The server kept reading a control-frame flood for a minute", e);
            }
        }
        assertNothingLeftAndOthersServed("enhance_your_calm");
    }

    private void assertNothingLeftAndOthersServed(String error) {
        MeterRegistry registry = server.app().meterRegistry();
        await().atMost(30, TimeUnit.SECONDS).until(() -> registry.get("spindle.http2.connections").gauge().value() == 0
                && registry.get("spindle.http.requests.active").gauge().value() == 0);
        if (error != null) {
            Counter errors = registry.find("spindle.http2.connection.errors").tag("error", error).counter();
            assertThat(errors).as("spindle.http2.connection.errors{error=%s}", error).isNotNull();
            assertThat(errors.count()).isGreaterThanOrEqualTo(1);
        }
        assertThat(server.client(Protocol.H2C).get("/fast").body()).isEqualTo("fast");
        assertThat(server.client().get("/fast").body()).isEqualTo("fast");
    }
}
