package dev.spindle.test.http;

import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.Parameter;
import dev.spindle.test.TestClient;
import dev.spindle.test.Protocol;
import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

@ParameterizedClass
@EnumSource(Protocol.class)
class RequestIdTest {

    private static final Logger handlerLog = LoggerFactory.getLogger("test.handler");

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/id", ctx -> Response.text(ctx.requestId()).completed());
        app.get("/logs", ctx -> {
            handlerLog.info("inside the handler for {}", ctx.path());
            return Response.text("logged").completed();
        });
        app.get("/mdc", ctx -> Response.text(String.valueOf(MDC.get("requestId"))).completed());
        app.get("/offload-logs", ctx -> ctx.offload(() -> {
            handlerLog.info("inside offloaded work");
            return "done";
        }).thenApply(result -> {
            handlerLog.info("in the continuation on the loop");
            return Response.text(result);
        }));
    });

    @Parameter
    Protocol protocol;

    /** A client over the protocol of this run: each test runs over HTTP/1.1, h2c and h2 (TLS). */
    private TestClient client() {
        return server.client(protocol);
    }

    @Test
    void generatesAnIdWhenTheCallerSendsNone() {
        TestResponse response = client().get("/id");

        String id = response.header("X-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(response).hasBody(id);
    }

    @Test
    void generatesADifferentIdForEachRequest() {
        assertThat(client().get("/id").body()).isNotEqualTo(client().get("/id").body());
    }

    @Test
    void keepsASaneInboundId() {
        String inbound = "trace-4bf92f35:00f067aa.0ba902b7_7@edge/1";

        TestResponse response = client().get("/id", "X-Request-Id", inbound);

        assertThat(response).hasStatus(200).hasBody(inbound).hasHeader("X-Request-Id", inbound);
    }

    @Test
    void replacesAnInboundIdThatCouldInjectIntoLogsOrHeaders() {
        for (String insane : new String[] {"has spaces", "<script>alert(1)</script>", "x".repeat(129), "a\"b",
                "new%0Aline"}) {
            TestResponse response = client().get("/id", "X-Request-Id", insane);

            assertThat(response.body()).as(insane).matches("[0-9a-f]{16}");
            assertThat(response.header("X-Request-Id")).as(insane).contains(response.body());
        }
    }

    @Test
    void rawControlCharactersInTheIdAreReplacedToo() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("GET /id HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\tb\r\n\r\n").read();

            assertThat(response.body()).matches("[0-9a-f]{16}");
        }
    }

    @Test
    void problemResponsesCarryTheInboundId() {
        TestResponse response = client().get("/missing", "X-Request-Id", "req-123");

        assertThat(response).isProblem(404).hasHeader("X-Request-Id", "req-123");
        assertThat(response.problem().requestId()).isEqualTo("req-123");
    }

    @Test
    void logLinesWrittenInsideAHandlerCarryTheRequestId() {
        try (LogCapture log = LogCapture.of("test.handler")) {
            client().get("/logs", "X-Request-Id", "mdc-check-1");
            TestResponse generated = client().get("/logs");

            await().untilAsserted(() -> assertThat(log.containing("inside the handler for /logs"))
                    .extracting(ILoggingEvent::getMDCPropertyMap)
                    .extracting(mdc -> mdc.get("requestId"))
                    .containsExactly("mdc-check-1", generated.header("X-Request-Id").orElseThrow()));
        }
    }

    @Test
    void mdcHoldsTheCurrentRequestsIdWhileTheHandlerRuns() {
        client().get("/logs", "X-Request-Id", "first-request");

        assertThat(client().get("/mdc", "X-Request-Id", "second-request")).hasBody("second-request");
    }

    // Regression: ctx.offload()'s continuation ran on the loop with an empty MDC: its log lines had no request id.
    @Test
    void offloadedWorkAndItsContinuationLogWithTheRequestId() {
        try (LogCapture log = LogCapture.of("test.handler")) {
            assertThat(client().get("/offload-logs", "X-Request-Id", "offload-1")).hasBody("done");

            await().untilAsserted(() -> {
                assertThat(log.containing("inside offloaded work")).singleElement()
                        .satisfies(event -> assertThat(event.getMDCPropertyMap())
                                .containsEntry("requestId", "offload-1"));
                assertThat(log.containing("in the continuation on the loop")).singleElement()
                        .satisfies(event -> assertThat(event.getMDCPropertyMap())
                                .containsEntry("requestId", "offload-1"));
            });
        }
    }
}
