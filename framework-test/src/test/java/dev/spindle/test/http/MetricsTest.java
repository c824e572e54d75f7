package dev.spindle.test.http;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/users/{id}", ctx -> Response.text("user").completed());
        app.get("/files/*", ctx -> Response.text("file").completed());
        app.post("/users", ctx -> Response.text("created").status(201).completed());
    });

    @BeforeAll
    static void traffic() {
        server.client().get("/users/42");
        server.client().get("/users/43");
        server.client().get("/users/44");
        server.client().get("/files/a/b.txt");
        server.client().get("/no/such/path");
        server.client().post("/users/42", "{}");
    }

    private static PrometheusText scrape() {
        TestResponse response = server.client().get("/metrics");
        assertThat(response).hasStatus(200).hasHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(response.body());
    }

    private static double count(PrometheusText metrics, Map<String, String> labels) {
        return metrics.samples("http_server_requests_seconds_count").stream()
                .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(PrometheusText.Sample::value).sum();
    }

    @Test
    void requestCountIsLabelledWithTheRouteTemplate() {
        await().untilAsserted(() -> assertThat(count(scrape(), Map.of("method", "GET", "route", "/users/{id}",
                "status", "200", "outcome", "SUCCESS"))).isEqualTo(3.0));
    }

    @Test
    void routeLabelsAreTemplatesNeverRawPaths() {
        await().untilAsserted(() -> {
            List<PrometheusText.Sample> samples = scrape().samples("http_server_requests_seconds_count");
            Set<String> routes = samples.stream().map(sample -> sample.labels().get("route"))
                    .collect(Collectors.toSet());
            assertThat(routes).contains("/users/{id}", "/files/*", "UNMATCHED").doesNotContain("/users/42",
                    "/files/a/b.txt", "/no/such/path");
            assertThat(routes).allSatisfy(route -> assertThat(route).doesNotContainPattern("[0-9]"));
        });
    }

    @Test
    void unmatchedRequestsAreCountedUnderOneLabelWithTheirStatus() {
        await().untilAsserted(() -> {
            PrometheusText metrics = scrape();
            assertThat(count(metrics, Map.of("route", "UNMATCHED", "status", "404", "outcome", "CLIENT_ERROR")))
                    .isEqualTo(1.0);
            assertThat(count(metrics, Map.of("route", "UNMATCHED", "status", "405", "method", "POST")))
                    .isEqualTo(1.0);
        });
    }

    @Test
    void exposesTheFrameworkAndJvmMeters() {
        PrometheusText metrics = scrape();

        assertThat(metrics.families()).containsKeys("http_server_requests_seconds", "spindle_http_requests_active",
                "jvm_memory_used_bytes", "process_uptime_seconds");
        // Buckets, so a dashboard can show latency percentiles by route (histogram_quantile).
        assertThat(metrics.families().get("http_server_requests_seconds").type()).isEqualTo("histogram");
        assertThat(metrics.samples("http_server_requests_seconds_bucket")).isNotEmpty();
        assertThat(metrics.samples("spindle_http_requests_active")).singleElement()
                .satisfies(active -> assertThat(active.value()).isGreaterThanOrEqualTo(1.0));
    }

    @Test
    void servesOpenMetricsWhenTheScraperAsksForIt() {
        TestResponse response = server.client().get("/metrics", "Accept",
                "application/openmetrics-text; version=1.0.0; charset=utf-8,text/plain;version=0.0.4;q=0.5");

        assertThat(response).hasStatus(200)
                .hasHeader("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(response.body()).endsWith("# EOF\n");
        PrometheusText metrics = PrometheusText.parseOpenMetrics(response.body());
        assertThat(metrics.families().get("spindle_http_deadline_exceeded").type()).isEqualTo("counter");
        assertThat(metrics.samples("http_server_requests_seconds_count")).isNotEmpty();
    }
}
