package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.Transport;
import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.TestServer;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * With {@code SO_REUSEPORT} the kernel spreads connections over the loops' own listening sockets;
 * without it one acceptor hands them out in turn. Either way every loop gets work, and the per-loop
 * counters on /metrics show the spread (printed, so a run shows how even it is).
 */
class ReusePortSpreadTest {

    private static final int CONNECTIONS = 64;

    @Test
    void perLoopListenersSpreadConnectionsOverEveryLoop() {
        assertThat(Transport.select(Transport.Choice.AUTO)).as("native epoll loads on Linux x86-64")
                .isEqualTo(Transport.EPOLL);
        try (TestServer server = TestServer.builder().set("event-loops", "4").set("server.reuse-port", "true")
                .start(ReusePortSpreadTest::routes)) {
            Map<String, Double> connections = spread(server, "SO_REUSEPORT, one listener per loop");

            assertThat(connections).hasSize(4);
            assertThat(connections.values()).allSatisfy(count -> assertThat(count).isPositive());
            assertThat(connections.values().stream().mapToDouble(Double::doubleValue).sum())
                    .isGreaterThanOrEqualTo(CONNECTIONS);
        }
    }

    @Test
    void oneAcceptorHandsConnectionsToEveryLoopInTurn() {
        try (TestServer server = TestServer.builder().set("event-loops", "4").set("server.reuse-port", "false")
                .start(ReusePortSpreadTest::routes)) {
            Map<String, Double> connections = spread(server, "one acceptor");

            assertThat(connections.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(CONNECTIONS / 4));
        }
    }

    // SO_REUSEPORT lets a second bind of a busy port succeed and silently split its traffic; a
    // second app on a fixed port must still fail as it did with one acceptor.
    @Test
    void aFixedPortServedByAnotherAppIsRefusedUnlessShared() {
        try (TestServer first = TestServer.builder().set("event-loops", "2").start(ReusePortSpreadTest::routes)) {
            String port = String.valueOf(first.port());

            assertThatThrownBy(() -> TestServer.builder().set("event-loops", "2").set("server.port", port)
                    .start(ReusePortSpreadTest::routes).close())
                    .hasMessageContaining("in use by another process");
            try (TestServer second = TestServer.builder().set("event-loops", "2").set("server.port", port)
                    .set("server.shared-port", "true").start(ReusePortSpreadTest::routes)) {
                assertThat(second.port()).isEqualTo(first.port());
            }
        }
    }

    private static void routes(dev.spindle.http.Spindle app) {
        app.get("/hello", ctx -> Response.text("hello").completed());
    }

    /** Opens {@link #CONNECTIONS} connections with one request each; returns and prints connections per loop. */
    private static Map<String, Double> spread(TestServer server, String layout) {
        for (int i = 0; i < CONNECTIONS; i++) {
            try (RawHttp raw = server.raw()) {
                assertThat(raw.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read().status())
                        .isEqualTo(200);
            }
        }
        PrometheusText metrics = PrometheusText.parse(server.client().get("/metrics").body());
        Map<String, Double> connections = perLoop(metrics, "spindle_http_loop_connections_total");
        Map<String, Double> requests = perLoop(metrics, "spindle_http_loop_requests_total");
        System.out.printf("Per-loop spread with %s over %d connections: connections %s, requests %s%n",
                layout, CONNECTIONS, connections, requests);
        return connections;
    }

    private static Map<String, Double> perLoop(PrometheusText metrics, String name) {
        Map<String, Double> byLoop = new TreeMap<>();
        metrics.samples(name).forEach(sample -> byLoop.put(sample.labels().get("loop"), sample.value()));
        return byLoop;
    }
}
