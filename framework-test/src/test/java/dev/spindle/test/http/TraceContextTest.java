package dev.spindle.test.http;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.spindle.http.OutboundHttp;
import dev.spindle.http.Response;
import dev.spindle.http.TraceContext;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TraceContextTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final ConcurrentLinkedQueue<Map<String, String>> received = new ConcurrentLinkedQueue<>();
    static TestServer upstream;
    static TestServer server;

    @BeforeAll
    static void start() {
        upstream = TestServer.start(app -> app.get("/stock", ctx -> {
            received.add(Map.of("traceparent", ctx.header("traceparent").orElse(""),
                    "tracestate", ctx.header("tracestate").orElse("")));
            return Response.text("in stock").completed();
        }));
        OutboundHttp http = OutboundHttp.create(Duration.ofSeconds(5));
        URI stock = URI.create("http://127.0.0.1:" + upstream.port() + "/stock");
        server = TestServer.start(app -> {
            app.use(TraceContext.middleware());
            app.get("/order", ctx -> {
                LoggerFactory.getLogger("test.trace").info("checking stock");
                return http.get(ctx, stock).thenApply(reply -> Response.text(
                        TraceContext.of(ctx).map(TraceContext::spanId).orElse("none")));
            });
        });
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    @Test
    void theCallersTraceFlowsToTheOutboundCallAndTheLogLine() {
        received.clear();
        try (LogCapture logs = LogCapture.of("test.trace")) {
            TestResponse response = server.client().get("/order",
                    "traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01", "tracestate", "congo=t61rcWkgMzE");

            assertThat(response).hasStatus(200);
            String serverSpan = response.body();
            assertThat(received).containsExactly(Map.of(
                    "traceparent", "00-" + TRACE + "-" + serverSpan + "-01", "tracestate", "congo=t61rcWkgMzE"));
            assertThat(serverSpan).matches("[0-9a-f]{16}").isNotEqualTo(CALLER_SPAN);
            List<ILoggingEvent> lines = logs.containing("checking stock");
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).getMDCPropertyMap()).containsEntry(TraceContext.MDC_TRACE_ID, TRACE)
                    .containsEntry(TraceContext.MDC_SPAN_ID, serverSpan).containsKey("requestId");
        }
    }

    @Test
    void aMalformedTraceparentStartsANewTraceAndDropsTheState() {
        received.clear();
        server.client().get("/order", "traceparent", "00-" + TRACE.toUpperCase() + "-" + CALLER_SPAN + "-01",
                "tracestate", "congo=t61rcWkgMzE");

        Map<String, String> call = received.poll();
        assertThat(call.get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00").doesNotContain(TRACE.toLowerCase());
        assertThat(call.get("tracestate")).isEmpty();
    }

    @Test
    void withoutATraceparentEachRequestStartsItsOwnTrace() {
        received.clear();
        server.client().get("/order");
        server.client().get("/order");

        assertThat(received).extracting(call -> call.get("traceparent").substring(3, 35)).doesNotHaveDuplicates();
    }

    @Test
    void parsesTraceparentByTheRules() {
        String valid = "00-" + TRACE + "-" + CALLER_SPAN + "-01";
        assertThat(continues(valid)).isTrue();
        assertThat(continues("01-" + TRACE + "-" + CALLER_SPAN + "-01-future")).isTrue();
        assertThat(continues(valid + "-extra")).isFalse();
        assertThat(continues("ff-" + TRACE + "-" + CALLER_SPAN + "-01")).isFalse();
        assertThat(continues("00-" + "0".repeat(32) + "-" + CALLER_SPAN + "-01")).isFalse();
        assertThat(continues("00-" + TRACE + "-" + "0".repeat(16) + "-01")).isFalse();
        assertThat(continues("00-" + TRACE + "-" + CALLER_SPAN + "-0g")).isFalse();
        assertThat(TraceContext.continueOrStart(Optional.of(valid.replace("-01", "-00")), Optional.empty(), true)
                .sampled()).isFalse();
        assertThat(TraceContext.continueOrStart(Optional.empty(), Optional.empty(), true).sampled()).isTrue();
    }

    private static boolean continues(String traceparent) {
        return TraceContext.continueOrStart(Optional.of(traceparent), Optional.empty(), false).traceId().equals(TRACE);
    }
}
