package dev.spindle.tracing;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.OutboundHttp;
import dev.spindle.http.Response;
import dev.spindle.http.TraceContext;
import dev.spindle.test.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spans reach an OTLP/HTTP endpoint (a stand-in collector on a real socket) and the trace crosses outbound calls. */
class TracingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final List<byte[]> exported = new CopyOnWriteArrayList<>();
    private static final List<String> upstreamTraceparents = new CopyOnWriteArrayList<>();
    static TestServer collector;
    static TestServer server;
    static Tracing tracing;

    @BeforeAll
    static void start() {
        collector = TestServer.start(app -> {
            app.post("/v1/traces", ctx -> {
                exported.add(ctx.body());
                return Response.bytes(new byte[0], "application/x-protobuf").completed();
            });
            app.get("/stock", ctx -> {
                upstreamTraceparents.add(ctx.header("traceparent").orElse(""));
                return Response.text("ok").completed();
            });
        });
        OutboundHttp http = OutboundHttp.create(Duration.ofSeconds(5));
        server = TestServer.start(app -> {
            tracing = Tracing.install(app, "orders", URI.create("http://127.0.0.1:" + collector.port() + "/v1/traces"));
            app.get("/order/{id}", ctx -> http.get(ctx, URI.create("http://127.0.0.1:" + collector.port() + "/stock"))
                    .thenApply(reply -> Response.text(TraceContext.of(ctx).orElseThrow().spanId())));
        });
    }

    @AfterAll
    static void stop() {
        server.close();
        collector.close();
    }

    private static boolean exportedContains(byte[] needle) {
        return exported.stream().anyMatch(body -> indexOf(body, needle) >= 0);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void theServerSpanContinuesTheCallersTraceReachesTheCollectorAndCrossesOutboundCalls() {
        String serverSpan = server.client().get("/order/7", "traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01").body();

        assertThat(upstreamTraceparents).contains("00-" + TRACE + "-" + serverSpan + "-01");
        assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> exportedContains(HexFormat.of().parseHex(serverSpan)));
        assertThat(exportedContains(HexFormat.of().parseHex(TRACE))).isTrue();
        assertThat(exportedContains(HexFormat.of().parseHex(CALLER_SPAN))).isTrue();
        assertThat(exportedContains("GET /order/{id}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(exportedContains("orders".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void aCallersDecisionNotToSampleIsKept() {
        String unsampled = "5bf92f3577b34da6a3ce929d0e0e4737";
        server.client().get("/order/8", "traceparent", "00-" + unsampled + "-" + CALLER_SPAN + "-00");

        assertThat(upstreamTraceparents).anyMatch(header -> header.startsWith("00-" + unsampled) && header.endsWith("-00"));
        assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(exportedContains(HexFormat.of().parseHex(unsampled))).isFalse();
    }

    @Test
    void aNewTraceIsStartedAndSampledWithoutACaller() {
        String serverSpan = server.client().get("/order/9").body();

        assertThat(server.client().get("/order/9").body()).isNotEqualTo(serverSpan);
        assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> exportedContains(HexFormat.of().parseHex(serverSpan)));
    }
}
