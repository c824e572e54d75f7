package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.http.HealthCheck;
import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import dev.spindle.test.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A start that fails (the port is taken) leaves the app as it was: it can be started again once the port is free. */
class StartRetryTest {

    @Test
    void aStartThatFailedOnAPortInUseCanBeRetried() throws Exception {
        Spindle app;
        int port;
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = squatter.getLocalPort();
            app = Spindle.create(TestServer.builder().set("server.port", String.valueOf(port)).config());
            app.get("/hello", ctx -> Response.text("hello").completed());

            assertThatThrownBy(app::start).hasMessageContaining("in use");
        }
        // Declarations made between the attempts count.
        app.healthCheck("late", () -> CompletableFuture.completedFuture(HealthCheck.Result.down("declared late")));
        app.healthCheck("search", "index", () -> CompletableFuture.completedFuture(HealthCheck.Result.up()));
        try {
            app.start();

            HttpClient client = HttpClient.newHttpClient();
            assertThat(get(client, port, "/hello").body()).isEqualTo("hello");
            assertThat(get(client, port, "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(client, port, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("declared late");
            assertThat(get(client, port, "/health/search").statusCode()).isEqualTo(200);
            // The per-loop counters count the loops of this start, not those of the failed one.
            PrometheusText metrics = PrometheusText.parse(get(client, port, "/metrics").body());
            assertThat(metrics.samples("spindle_http_loop_connections_total").stream()
                    .mapToDouble(PrometheusText.Sample::value).sum()).isGreaterThanOrEqualTo(1);
        } finally {
            app.stop(Duration.ofSeconds(5));
        }
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
