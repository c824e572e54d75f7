package dev.spindle.test.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LoopMetricsTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app ->
            app.get("/hash", ctx -> ctx.offload(() -> CpuWork.hashFor(5)).thenApply(n -> Response.text("" + n))));

    @Test
    void exportsLoopLagHistogramsBlockedCountersAndPoolMetrics() {
        server.client().get("/hash");

        String metrics = server.client().get("/metrics").body();

        assertThat(metrics)
                .contains("spindle_eventloop_lag_seconds_bucket{loop=\"0\",le=")
                .contains("spindle_eventloop_lag_seconds_count{loop=\"1\"}")
                .contains("spindle_eventloop_blocked_total{loop=\"0\"}")
                .contains("spindle_eventloop_lag_recent_seconds{loop=\"0\"}")
                .contains("spindle_eventloop_utilization{loop=\"0\"}")
                .contains("spindle_offload_queue_size{pool=\"offload\"}")
                .contains("spindle_offload_wait_seconds_count{pool=\"offload\"}")
                .contains("spindle_offload_run_seconds_count{pool=\"offload\"}")
                .contains("spindle_offload_rejected_total{pool=\"offload\",reason=\"queue_full\"}")
                .contains("spindle_offload_completed_total{pool=\"offload\"}")
                .contains("spindle_offload_active{pool=\"blocking\"}");
    }
}
