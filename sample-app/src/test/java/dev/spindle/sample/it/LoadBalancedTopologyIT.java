package dev.spindle.sample.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.test.redis.RedisExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose topology as local processes: two sample-app JVMs behind nginx running a copy of
 * {@code deploy/nginx/nginx.conf}. StackIT runs the whole stack; DeployFilesIT checks the files.
 */
class LoadBalancedTopologyIT {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    @TempDir
    Path workDir;

    @RegisterExtension
    final Running running = new Running();

    @Test
    void spreadsRequestsOverBothInstancesAndSurvivesTheLossOfOne() throws Exception {
        Path nginx = Tools.require("nginx", "nginx-light");
        SampleProcess alpha = running.started(SampleProcess.start("alpha", Map.of("INSTANCE_ID", "alpha")));
        SampleProcess beta = running.started(SampleProcess.start("beta", Map.of("INSTANCE_ID", "beta")));
        alpha.awaitReady();
        beta.awaitReady();
        int port = FreePorts.next();
        Nginx lb = running.started(Nginx.start(nginx, port, List.of(alpha.port(), beta.port()), workDir));
        Endpoint viaNginx = Endpoint.at(port);
        await("nginx answering on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> {
                    assertThat(lb.isAlive()).as("nginx running; output:%n%s", nginxLog(lb)).isTrue();
                    return viaNginx.get("/health/ready").statusCode() == 200;
                });

        Set<String> answeredBy = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = viaNginx.get("/hello/lb");
            assertThat(response.statusCode()).isEqualTo(200);
            answeredBy.add(response.headers().firstValue("X-Instance-Id").orElse("none"));
        }
        assertThat(answeredBy).as("instances that answered through nginx").containsExactlyInAnyOrder("alpha", "beta");

        // nginx forwards the caller's request id, and makes one up (32 hex digits) when there is none.
        assertThat(viaNginx.get("/api/v1/users/none", "X-Request-Id", "lb-42").body()).contains("\"requestId\":\"lb-42\"");
        assertThat(viaNginx.get("/hello/lb").headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
        assertThat(viaNginx.get("/metrics").statusCode()).as("metrics are not public").isEqualTo(404);

        alpha.kill();
        alpha.awaitExit(Duration.ofSeconds(10));

        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = viaNginx.get("/hello/failover");
            assertThat(response.statusCode()).as("request %d after alpha died", i).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Instance-Id")).contains("beta");
        }
    }

    @Test
    void aSessionStartedOnOneInstanceIsKnownToTheOtherThroughRedis() throws Exception {
        // Users live in Redis too: a key prefix of this run's own, so a Redis shared across runs has no Ada yet.
        Map<String, String> shared = Map.of("REDIS_URL", redis.url(), "SPINDLE_SAMPLE_PASSWORD_ITERATIONS", "1000",
                "SPINDLE_REDIS_KEY_PREFIX", "topology-" + UUID.randomUUID() + ":");
        SampleProcess alpha = running.started(SampleProcess.start("alpha", with(shared, "INSTANCE_ID", "alpha")));
        SampleProcess beta = running.started(SampleProcess.start("beta", with(shared, "INSTANCE_ID", "beta")));
        alpha.awaitReady();
        beta.awaitReady();
        Endpoint onAlpha = Endpoint.at(alpha.port());
        Endpoint onBeta = Endpoint.at(beta.port());
        assertThat(onAlpha.post("/api/v1/users",
                "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"password\":\"analytical engine\"}",
                "X-Api-Key", "dev-key").statusCode()).isEqualTo(201);

        HttpResponse<String> login = onAlpha.post("/api/v1/login",
                "{\"email\":\"ada@example.com\",\"password\":\"analytical engine\"}");
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

        HttpResponse<String> me = onBeta.get("/api/v1/me", "Cookie", cookie);
        assertThat(me.statusCode()).as("beta reads the session alpha wrote: %s", me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"Ada\"");
        assertThat(me.headers().firstValue("X-Instance-Id")).contains("beta");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> all = new HashMap<>(base);
        all.put(key, value);
        return all;
    }


    private static String nginxLog(Nginx nginx) {
        try {
            return Files.readString(nginx.log());
        } catch (IOException e) {
            return e.toString();
        }
    }
}
