package dev.spindle.sample;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OperationsTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(SampleApp::install)
            .set("sample.password-iterations", "1000");

    @Test
    void greetsByName() {
        assertThat(server.client().get("/hello/ada")).hasStatus(200).hasBody("Hello ada").hasContentType("text/plain");
    }

    @Test
    void isLiveAndReadyWithTheUserStoreReported() {
        assertThat(server.client().get("/health/live")).hasStatus(200);

        TestResponse ready = server.client().get("/health/ready");
        assertThat(ready).hasStatus(200);
        assertThat(ready.json().at("/checks/users/status").asString()).isEqualTo("UP");
        assertThat(ready.json().at("/checks/users/detail").asString()).startsWith("in-memory");
    }

    @Test
    void exportsRequestMetricsByRouteTemplate() {
        server.client().get("/api/v1/users/some-id");

        TestResponse metrics = server.client().get("/metrics");

        assertThat(metrics).hasStatus(200);
        assertThat(metrics.body()).contains("http_server_requests_seconds_count{")
                .contains("route=\"/api/v1/users/{id}\"")
                .doesNotContain("/api/v1/users/some-id");
    }

    @Test
    void writesAreOpenWhenNoApiKeyIsConfigured() {
        assertThat(server.client().post("/api/v1/users",
                "{\"name\":\"Open\",\"email\":\"open@example.com\",\"password\":\"correct horse\"}")).hasStatus(201);
    }

    @Test
    void delaysWithoutHoldingTheLoopAndChecksTheRange() {
        TestResponse delayed = server.client().get("/api/v1/delay/20");

        assertThat(delayed).hasStatus(200);
        assertThat(delayed.json().get("delayedMillis").asInt()).isEqualTo(20);
        assertThat(server.client().get("/api/v1/delay/60001")).isProblem(400);
        assertThat(server.client().get("/api/v1/delay/-1")).isProblem(400);
    }
}
