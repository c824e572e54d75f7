package dev.spindle.test.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.test.TestServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The meters of SSE and WebSocket routes exist from start, at 0: a dashboard or an alert on a
 * fresh instance reads 0, not "no data", and the first connection moves the same series.
 */
class LongLivedMetersTest {

    @Test
    void longLivedRoutesReportZeroBeforeTheirFirstConnectionAndCountOnTheSameSeries() throws IOException {
        try (TestServer server = TestServer.start(app -> app.group("/api", api -> {
            api.sse("/feed", (ctx, sink) -> sink.send("hello"));
            api.websocket("/chat", socket -> { });
        }))) {
            String metrics = server.client().get("/metrics").body();
            assertThat(metrics)
                    .contains("spindle_sse_streams{route=\"/api/feed\"} 0")
                    .contains("spindle_sse_events_total{route=\"/api/feed\"} 0")
                    .contains("spindle_websocket_connections{route=\"/api/chat\"} 0")
                    .contains("spindle_websocket_messages_total{direction=\"in\",route=\"/api/chat\"} 0");

            MeterRegistry registry = server.app().meterRegistry();
            try (RawSse sse = RawSse.connect(server.port(), "/api/feed")) {
                assertThat(sse.nextData().data()).isEqualTo("hello");
                await().untilAsserted(() -> assertThat(registry.find("spindle.sse.streams").gauges())
                        .singleElement().satisfies(gauge -> assertThat(gauge.value()).isEqualTo(1)));
                assertThat(registry.find("spindle.sse.events").counter().count()).isEqualTo(1);
            }
        }
    }
}
