package dev.spindle.test.http;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.HealthCheck;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class HealthTest {

    private static final AtomicBoolean databaseUp = new AtomicBoolean(true);
    private static final AtomicBoolean cacheThrows = new AtomicBoolean(false);
    private static final AtomicBoolean searchUp = new AtomicBoolean(true);

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.healthCheck("database", () -> CompletableFuture.completedFuture(databaseUp.get()
                ? HealthCheck.Result.up()
                : HealthCheck.Result.down("connection refused")));
        app.healthCheck("cache", () -> {
            if (cacheThrows.get()) {
                throw new IllegalStateException("cache client closed");
            }
            return CompletableFuture.supplyAsync(HealthCheck.Result::up);
        });
        app.healthCheck("search", "search-index", () -> CompletableFuture.completedFuture(searchUp.get()
                ? HealthCheck.Result.up() : HealthCheck.Result.down("index unavailable")));
    });

    @AfterEach
    void reset() {
        databaseUp.set(true);
        cacheThrows.set(false);
        searchUp.set(true);
    }

    @Test
    void aHealthGroupIsServedBesideReadinessWithoutFailingIt() {
        searchUp.set(false);
        TestResponse group = server.client().get("/health/search");
        assertThat(group).hasStatus(503);
        assertThat(group.json().get("checks").get("search-index").get("detail").asString()).isEqualTo("index unavailable");
        TestResponse ready = server.client().get("/health/ready");
        assertThat(ready).hasStatus(200);
        assertThat(ready.json().get("checks").has("search-index")).isFalse();
        searchUp.set(true);
        assertThat(server.client().get("/health/search")).hasStatus(200);
    }

    @Test
    void readinessIs200WhenEveryCheckPasses() {
        TestResponse response = server.client().get("/health/ready");

        assertThat(response).hasStatus(200).hasContentType("application/json");
        JsonNode json = response.json();
        assertThat(json.get("status").asString()).isEqualTo("UP");
        assertThat(json.get("checks").get("database").get("status").asString()).isEqualTo("UP");
        assertThat(json.get("checks").get("cache").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void readinessIs503WithTheReasonWhenACheckFails() {
        databaseUp.set(false);

        TestResponse response = server.client().get("/health/ready");

        assertThat(response).hasStatus(503).hasContentType("application/json");
        JsonNode json = response.json();
        assertThat(json.get("status").asString()).isEqualTo("DOWN");
        assertThat(json.get("checks").get("database").get("status").asString()).isEqualTo("DOWN");
        assertThat(json.get("checks").get("database").get("detail").asString()).isEqualTo("connection refused");
        assertThat(json.get("checks").get("cache").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void checkThatThrowsCountsAsDown() {
        cacheThrows.set(true);

        TestResponse response = server.client().get("/health/ready");

        assertThat(response).hasStatus(503);
        assertThat(response.json().get("checks").get("cache").get("status").asString()).isEqualTo("DOWN");
    }

    @Test
    void livenessIsUpWhateverTheChecksSay() {
        databaseUp.set(false);

        TestResponse response = server.client().get("/health/live");

        assertThat(response).hasStatus(200).hasContentType("application/json");
        assertThat(response.json().get("status").asString()).isEqualTo("UP");
    }
}
