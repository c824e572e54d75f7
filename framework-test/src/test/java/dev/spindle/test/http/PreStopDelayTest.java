package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With {@code shutdown.pre-stop-delay}, a stop first only fails readiness: the listener keeps
 * accepting and requests are served until the delay ends (here cut short by interrupting the
 * stopping thread, so no wall-clock wait decides the test); then the drain starts.
 */
class PreStopDelayTest {

    @Test
    void readinessFailsFirstWhileTheListenerStillAcceptsAndServes() throws Exception {
        TestServer server = TestServer.builder().set("shutdown.pre-stop-delay", "10m")
                .start(app -> app.get("/hello", ctx -> Response.text("hello").completed()));
        Thread stopping = new Thread(() -> server.app().stop(Duration.ofSeconds(5)), "test-stop");
        try {
            assertThat(server.client().get("/health/ready").status()).isEqualTo(200);
            stopping.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> server.client().get("/health/ready").status() == 503);
            assertThat(server.app().isReady()).isFalse();
            try (RawHttp fresh = server.raw()) {
                RawHttp.Response response = fresh.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(response.status()).as("a new connection during the pre-stop delay").isEqualTo(200);
                assertThat(response.header("Connection")).isNull();
            }
            assertThat(stopping.isAlive()).as("still in the pre-stop delay").isTrue();
        } finally {
            stopping.interrupt();
            stopping.join(30_000);
        }
        assertThat(stopping.isAlive()).as("drained and stopped once the delay ended").isFalse();
    }
}
