package dev.spindle.sample.it;

import static dev.spindle.sample.it.StackIT.KEY;
import static dev.spindle.sample.it.StackIT.millisSince;
import static dev.spindle.sample.it.StackIT.print;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@link StackIT}'s job-queue steps: sign-up reports run once in the fleet, and survive a Redis restart. */
final class StackReports {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StackReports() {}

    /**
     * Reports requested through nginx land on any replica and are built by any one: each runs once
     * in the whole fleet (the handlers' own run counter and the queue's completed counter, summed
     * over the instances, rise by one per report), and every replica answers for each of them.
     */
    static void requestedThroughNginxRunOnceInTheFleet(Endpoint lb, List<SampleProcess> apps)
            throws Exception {
        int reports = 6;
        double runsBefore = FleetMetrics.sum(apps, "sample_reports_runs_total");
        double completedBefore = FleetMetrics.sum(apps, "spindle_jobs_completed_total", "queue=\"reports\"");
        long started = System.nanoTime();
        Map<String, String> acceptedBy = new LinkedHashMap<>();
        for (int i = 0; i < reports; i++) {
            HttpResponse<String> accepted = lb.post("/api/v1/reports", "{\"days\":30}", "X-Api-Key", KEY);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            acceptedBy.put(accepted.headers().firstValue("Location").orElseThrow(),
                    accepted.headers().firstValue("X-Instance-Id").orElse("?"));
        }
        Map<String, String> builtBy = new LinkedHashMap<>();
        for (String location : acceptedBy.keySet()) {
            JsonNode done = await("report " + location + " completed").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> JSON.readTree(lb.get(location).body()),
                            status -> status.path("status").asString("").equals("completed"));
            builtBy.put(location, done.at("/report/generatedBy").asString());
        }
        long allCompleted = millisSince(started);
        for (SampleProcess app : apps) {
            for (String location : builtBy.keySet()) {
                JsonNode seen = JSON.readTree(app.get(location).body());
                assertThat(seen.path("status").asString("")).as("%s through %d", location, app.port())
                        .isEqualTo("completed");
                assertThat(seen.at("/report/generatedBy").asString()).isEqualTo(builtBy.get(location));
            }
        }
        await("the fleet's completed-job counters").atMost(Duration.ofSeconds(30)).until(() ->
                FleetMetrics.sum(apps, "spindle_jobs_completed_total", "queue=\"reports\"") - completedBefore >= reports);
        double runs = FleetMetrics.sum(apps, "sample_reports_runs_total") - runsBefore;
        double completed = FleetMetrics.sum(apps, "spindle_jobs_completed_total", "queue=\"reports\"") - completedBefore;
        print("%d reports requested through nginx (accepted by %s) completed in %d ms, built by %s; the fleet ran "
                + "their handler %.0f times and counted %.0f completions; each report's status is the same "
                + "through app1, app2 and app3", reports, new TreeMap<>(count(acceptedBy.values())), allCompleted,
                new TreeMap<>(count(builtBy.values())), runs, completed);
        assertThat(runs).as("report handler runs in the fleet, for %d reports", reports).isEqualTo(reports);
        assertThat(completed).as("completed report jobs in the fleet").isEqualTo(reports);
    }

    private static Map<String, Integer> count(Collection<String> values) {
        Map<String, Integer> counts = new HashMap<>();
        values.forEach(value -> counts.merge(value, 1, Integer::sum));
        return counts;
    }

    /** Pauses the reports queue and requests one: it waits in Redis, where the restart must not lose it. */
    static String heldInRedis(SampleProcess app) throws IOException {
        HttpResponse<String> paused = app.post("/admin/jobs/reports/pause", "", "X-Api-Key", KEY);
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        HttpResponse<String> accepted = app.post("/api/v1/reports", "{\"days\":7}", "X-Api-Key", KEY);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(reportStatus(app, location)).isEqualTo("waiting");
        print("reports queue paused (POST /admin/jobs/reports/pause); report %s waiting in Redis", location);
        return location;
    }

    static void heldReportRunsAfterTheRestart(List<SampleProcess> apps, String location) throws IOException {
        // The job, its queue and the pause came back from the append-only file.
        HttpResponse<String> after = await("the held report's status after the restart").atMost(Duration.ofSeconds(30))
                .ignoreExceptions().until(() -> apps.get(1).get(location), response -> response.statusCode() == 200);
        assertThat(JSON.readTree(after.body()).path("status").asString("")).as("after the restart: %s", after.body())
                .isEqualTo("waiting");
        await("the reports queue resumed").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                apps.get(0).post("/admin/jobs/reports/resume", "", "X-Api-Key", KEY).statusCode() == 200);
        long resumed = System.nanoTime();
        JsonNode done = await("the held report completed").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> JSON.readTree(apps.get(1).get(location).body()),
                        status -> status.path("status").asString("").equals("completed"));
        print("the report requested before the Redis restart was still waiting after it; resumed, it completed on %s "
                + "in %d ms", done.at("/report/generatedBy").asString(), millisSince(resumed));
    }

    private static String reportStatus(SampleProcess app, String location) throws IOException {
        return JSON.readTree(app.get(location).body()).path("status").asString("");
    }
}
