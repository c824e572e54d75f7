package dev.spindle.sample;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.sample.users.User;
import dev.spindle.sample.users.UserRepository;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Sign-up reports on the in-memory job queue, over a real socket: requested with 202 and a
 * {@code Location}, built in the background a page of users at a time, polled until completed.
 */
class ReportsTest {

    private static final String KEY = "test-key";
    private static final Instant NOW = Instant.now();
    private static final UserRepository USERS = UserRepository.inMemory();

    static {
        // Three pages of users: 1,000 who joined long ago, 150 two days ago at a.example, 50 an hour ago at b.example.
        for (int i = 0; i < 1_200; i++) {
            Instant joined = i < 1_000 ? NOW.minus(Duration.ofDays(400)) : i < 1_150 ? NOW.minus(Duration.ofDays(2))
                    : NOW.minus(Duration.ofHours(1));
            String domain = i < 1_000 ? "old.example" : i < 1_150 ? "a.example" : "b.example";
            USERS.insert(new User(String.format("u%05d", i), "User " + i, "user" + i + "@" + domain, "not a hash",
                    joined)).toCompletableFuture().join();
        }
    }

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> SampleApp.install(app, USERS))
            .set("sample.api-key", KEY)
            .set("sample.instance-id", "reports-1");

    @Test
    void buildsASignupReportInTheBackgroundAndServesItWhenCompleted() {
        double runsBefore = runs();
        TestResponse accepted = server.client().post("/api/v1/reports", "{\"days\":30}", "X-Api-Key", KEY);

        assertThat(accepted).hasStatus(202).hasContentType("application/json");
        String id = accepted.json().get("id").asString();
        assertThat(accepted.header("Location")).contains("/api/v1/reports/" + id);
        assertThat(accepted.json().get("status").asString()).isEqualTo("waiting");

        JsonNode done = await("the report completed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> server.client().get("/api/v1/reports/" + id).json(),
                        status -> status.get("status").asString().equals("completed"));
        assertThat(done.get("request").get("days").asInt()).isEqualTo(30);
        assertThat(done.get("attempts").asInt()).isEqualTo(1);
        assertThat(done.get("progress").get("usersScanned").asInt()).as("progress after the last full page")
                .isEqualTo(1_000);
        JsonNode report = done.get("report");
        assertThat(report.get("generatedBy").asString()).isEqualTo("reports-1");
        assertThat(report.get("totalUsers").asInt()).isEqualTo(1_200);
        assertThat(report.get("newUsers").asInt()).isEqualTo(200);
        assertThat(report.get("perDay").valueStream().mapToInt(day -> day.get("users").asInt()).sum()).isEqualTo(200);
        assertThat(report.get("topDomains").valueStream().map(domain -> domain.get("domain").asString() + "="
                + domain.get("users").asInt()).toList()).containsExactly("a.example=150", "b.example=50");
        assertThat(runs() - runsBefore).as("handler runs for one report").isEqualTo(1);
    }

    @Test
    void answersUnknownReportsWithA404Problem() {
        assertThat(server.client().get("/api/v1/reports/" + UUID.randomUUID())).isProblem(404)
                .hasDetailContaining("No report");
        assertThat(server.client().get("/api/v1/reports/not-a-report-id")).isProblem(404);
    }

    @Test
    void refusesBadRequestsWithProblems() {
        assertThat(server.client().post("/api/v1/reports", "{\"days\":0}", "X-Api-Key", KEY)).isProblem(400);
        TestResponse tooLong = server.client().post("/api/v1/reports", "{\"days\":400}", "X-Api-Key", KEY);
        assertThat(tooLong).isProblem(400);
        assertThat(tooLong.json().get("errors").get(0).get("field").asString()).isEqualTo("days");
        assertThat(server.client().post("/api/v1/reports", "{}", "X-Api-Key", KEY)).isProblem(400);
        assertThat(server.client().post("/api/v1/reports", "{\"days\":\"soon\"}", "X-Api-Key", KEY)).isProblem(400);
        assertThat(server.client().post("/api/v1/reports", "not json", "X-Api-Key", KEY)).isProblem(400);
        assertThat(server.client().post("/api/v1/reports", "{\"days\":30}")).as("a report costs CPU: API key")
                .isProblem(401);
    }

    @Test
    void operatorsSeeTheQueuesWithTheApiKeyOnly() {
        assertThat(server.client().get("/admin/jobs")).isProblem(401);
        assertThat(server.client().get("/admin/jobs", "X-Api-Key", "guess")).isProblem(403);

        TestResponse queues = server.client().get("/admin/jobs", "X-Api-Key", KEY);

        assertThat(queues).hasStatus(200);
        List<String> names = queues.json().valueStream().map(queue -> queue.get("queue").asString()).toList();
        assertThat(names).as("the reports and the housekeeping scheduler's queue").contains("reports", "spindle.schedules");
    }

    private static double runs() {
        var counter = server.app().meterRegistry().find("sample.reports.runs").counter();
        return counter == null ? 0 : counter.count();
    }
}
