package dev.spindle.sample.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The packaged jar, started as a process with its embedded defaults and JSON logs. */
class SampleAppIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static SampleProcess app;

    @BeforeAll
    static void start() {
        app = SampleProcess.start("sample-app", Map.of("LOG_FORMAT", "json", "INSTANCE_ID", "it-1"));
        Duration startup = app.awaitReady();
        System.out.println("sample-app.jar start-up: " + startup.toMillis()
                + " ms from process start to the first 200 from /health/ready");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void servesTheUsersApiWithItsEmbeddedDefaults() throws IOException {
        assertThat(app.get("/hello/jar").body()).isEqualTo("Hello jar");

        String user = "{\"name\":\"Grace\",\"email\":\"grace@example.com\",\"password\":\"correct horse\"}";
        assertThat(app.post("/api/v1/users", user).statusCode()).as("writes need the API key").isEqualTo(401);
        // dev-key is the demo key in the embedded spindle.properties.
        HttpResponse<String> created = app.post("/api/v1/users", user, "X-Api-Key", "dev-key");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("X-Instance-Id")).contains("it-1");

        HttpResponse<String> found = app.get(created.headers().firstValue("Location").orElseThrow());
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(found.body()).get("email").asString()).isEqualTo("grace@example.com");

        HttpResponse<String> missing = app.get("/api/v1/users/nobody");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void buildsAReportInTheBackgroundOnTheInMemoryJobQueue() throws IOException {
        HttpResponse<String> accepted = app.post("/api/v1/reports", "{\"days\":7}", "X-Api-Key", "dev-key");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();

        JsonNode done = await("the report at " + location).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(app.get(location).body()), status -> status.path("status").asString("")
                        .equals("completed"));

        assertThat(done.get("report").get("generatedBy").asString()).isEqualTo("it-1");
        assertThat(done.get("report").get("days").asInt()).isEqualTo(7);
        assertThat(app.get(location + "0").statusCode()).isEqualTo(404);
    }

    @Test
    void saysWhichStateLivesInMemory() {
        await("the state line").atMost(Duration.ofSeconds(10)).until(() -> app.stdout().stream()
                .anyMatch(line -> line.contains("State: in-memory twins for everything")
                        && line.contains("the job queue (reports, housekeeping)")));
    }

    @Test
    void printsItsSettingsWithHelp() throws Exception {
        Process help = new ProcessBuilder(SampleProcess.javaBinary(), "-jar", SampleProcess.JAR.toString(), "--help")
                .redirectErrorStream(true).start();
        String output = new String(help.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(help.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(help.exitValue()).as(output).isZero();
        assertThat(output).contains("Usage: java -jar sample-app.jar").contains("  server.port = 8080")
                .contains("  sample.reputation-delay = 300ms").contains("env SPINDLE_REDIS_URL, REDIS_URL;");
    }

    @Test
    void reportsHealth() throws IOException {
        assertThat(app.get("/health/live").statusCode()).isEqualTo(200);

        HttpResponse<String> ready = app.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("status").asString()).isEqualTo("UP");
    }

    @Test
    void exportsPrometheusMetrics() throws IOException {
        app.get("/hello/metrics");

        HttpResponse<String> metrics = app.get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("http_server_requests_seconds_count{")
                .contains("route=\"/hello/{name}\"")
                .contains("spindle_http_requests_active")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void logsJsonLinesCarryingTheRequestId() throws IOException {
        app.get("/hello/logs", "X-Request-Id", "it-json-42");

        await("an access-log line for it-json-42").atMost(Duration.ofSeconds(10))
                .until(() -> accessLineFor("it-json-42").isPresent());
        JsonNode line = accessLineFor("it-json-42").orElseThrow();
        assertThat(line.get("level").asString()).isEqualTo("INFO");
        assertThat(line.get("formattedMessage").asString()).contains("GET /hello/{name} 200");

        List<String> stdout = app.stdout();
        assertThat(stdout).isNotEmpty().allSatisfy(text -> assertThat(JSON.readTree(text).isObject())
                .as("every stdout line is a JSON object: %s", text).isTrue());
    }

    private static Optional<JsonNode> accessLineFor(String requestId) {
        return app.stdout().stream()
                .map(JSON::readTree)
                .filter(line -> "dev.spindle.access".equals(line.path("loggerName").asString(""))
                        && requestId.equals(line.path("mdc").path("requestId").asString("")))
                .findFirst();
    }
}
