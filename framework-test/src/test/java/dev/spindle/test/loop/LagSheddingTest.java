package dev.spindle.test.loop;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LagSheddingTest {

    @RegisterExtension
    final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/stall", ctx -> Response.text("stalled " + CpuWork.hashFor(600)).completed());
        app.get("/cheap", ctx -> Response.text("cheap").completed());
    }).set("event-loops", "1").set("http.shed-lag", "20ms").set("loop-monitor.probe-interval", "100ms");

    @Test
    void shedsWhileTheLoopsLagStaysAboveTheThresholdAndRecoversAfter() {
        assertThat(server.client().get("/cheap")).hasStatus(200);

        assertThat(server.client().get("/stall")).hasStatus(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> server.client().get("/cheap").status() == 503);

        await().atMost(Duration.ofSeconds(10)).until(() -> server.client().get("/cheap").status() == 200);
        assertThat(server.client().get("/health/live")).hasStatus(200);
    }
}
