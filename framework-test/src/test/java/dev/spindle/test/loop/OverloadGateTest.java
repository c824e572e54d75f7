package dev.spindle.test.loop;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OverloadGateTest {

    private final CompletableFuture<Response> gate = new CompletableFuture<>();

    @RegisterExtension
    final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/wait", ctx -> gate);
        app.get("/cheap", ctx -> Response.text("cheap").completed());
    }).set("http.max-in-flight", "2");

    @Test
    void refusesRequestsBeyondTheInFlightBoundWith503AndRetryAfter() {
        List<CompletableFuture<TestResponse>> waiting = List.of(server.client().getAsync("/wait"),
                server.client().getAsync("/wait"));
        await().until(() -> activeRequests() >= 2);

        TestResponse refused = server.client().get("/cheap");

        assertThat(refused).isProblem(503).hasHeader("Retry-After", "1");
        assertThat(server.app().meterRegistry().get("spindle.http.requests.rejected").tag("reason", "in_flight")
                .counter().count()).isGreaterThanOrEqualTo(1);
        // Health and metrics stay reachable under overload, so orchestrators do not kill a busy instance.
        assertThat(server.client().get("/health/live")).hasStatus(200);
        gate.complete(Response.text("done"));
        waiting.forEach(response -> assertThat(response.join()).hasStatus(200));
        assertThat(server.client().get("/cheap")).hasStatus(200);
    }

    private double activeRequests() {
        return server.app().meterRegistry().get("spindle.http.requests.active").gauge().value();
    }
}
