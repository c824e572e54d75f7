package dev.spindle.test.loop;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.core.LoopMonitor;
import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BlockedLoopDetectorTest {

    @RegisterExtension
    final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/warm-up", ctx -> Response.json(java.util.Map.of("warm", true)).completed());
        app.get("/inline", ctx -> Response.text("inline " + burnCpuInline()).completed());
        app.get("/offloaded", ctx -> ctx.offload(BlockedLoopDetectorTest::burnCpuOffloaded)
                .thenApply(value -> Response.text("offloaded " + value)));
    }).set("loop-monitor.startup-grace", "0ms").set("loop-monitor.blocked-threshold", "100ms");

    private static int burnCpuInline() {
        return CpuWork.hashFor(400);
    }

    private static int burnCpuOffloaded() {
        return CpuWork.hashFor(400);
    }

    @Test
    void reportsAHandlerBurningCpuOnTheLoopOnceWithItsRouteAndStack() {
        assertThat(server.client().get("/warm-up")).hasStatus(200);
        try (LogCapture logs = LogCapture.of(LoopMonitor.class)) {
            assertThat(server.client().get("/inline")).hasStatus(200);

            await().atMost(Duration.ofSeconds(5)).until(() -> logs.warningsContaining("/inline").size() == 1);
            String warning = logs.warningsContaining("/inline").get(0);
            assertThat(warning).contains("blocked for").contains("request id")
                    .contains("BlockedLoopDetectorTest.burnCpuInline");
            double blocked = blockedCount();
            assertThat(blocked).isGreaterThanOrEqualTo(1);

            // The same stack again is counted, not logged again.
            assertThat(server.client().get("/inline")).hasStatus(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> blockedCount() > blocked);
            assertThat(logs.warningsContaining("/inline")).hasSize(1);
        }
    }

    @Test
    void theSameWorkOffloadedTriggersNoReport() {
        try (LogCapture logs = LogCapture.of(LoopMonitor.class)) {
            assertThat(server.client().get("/offloaded")).hasStatus(200);
            assertThat(server.client().get("/offloaded")).hasStatus(200);

            assertThat(logs.warningsContaining("burnCpu")).isEmpty();
            assertThat(logs.warningsContaining("/offloaded")).isEmpty();
        }
    }

    private double blockedCount() {
        return server.app().meterRegistry().find("spindle.eventloop.blocked").counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }
}
