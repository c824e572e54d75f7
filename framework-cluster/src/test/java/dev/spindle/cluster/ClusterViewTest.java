package dev.spindle.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.state.State;
import dev.spindle.test.TestServer;
import dev.spindle.test.redis.RedisExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two apps sharing Redis both appear in either one's cluster view; a stopped one leaves it. */
class ClusterViewTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    @Test
    void twoAppsOnOneRedisListEachOtherAndAStoppedOneLeaves() {
        String prefix = "view-" + UUID.randomUUID() + ":";
        TestServer first = app(prefix, "instance-a");
        TestServer second = app(prefix, "instance-b");
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(first.client().get("/cluster/instances")
                    .body()).contains("\"id\":\"instance-a\"").contains("\"id\":\"instance-b\"")
                    .contains(":" + second.port() + "\"").contains("\"self\":\"instance-a\"")
                    .contains("\"requestsActive\""));
            System.out.println("Cluster view: " + second.client().get("/cluster/instances").body());

            second.close();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(first.client().get("/cluster/instances")
                    .body()).contains("instance-a").doesNotContain("instance-b"));
        } finally {
            first.close();
            second.close();
        }
    }

    private static TestServer app(String prefix, String id) {
        return TestServer.builder().set("redis.url", redis.url()).set("redis.key-prefix", prefix)
                .set("cluster.instance-id", id)
                .start(app -> {
                    State state = State.install(app);
                    Coordination.install(app, state);
                    app.get("/hello", ctx -> Response.text("hello").completed());
                });
    }
}
