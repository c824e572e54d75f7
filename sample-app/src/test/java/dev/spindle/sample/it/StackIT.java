package dev.spindle.sample.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.sample.TestImages;
import dev.spindle.test.redis.RedisServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docker-compose.yml's topology as local processes on loopback, with the deployed files: a
 * redis-server with an append-only file, three sample-app JVMs from the built jar, nginx on a copy
 * of {@code deploy/nginx/nginx.conf}, and a real Prometheus on a copy of
 * {@code deploy/prometheus/prometheus.yml} with the same {@code alerts.yml} (scraping every second
 * instead of every 15, so the test does not wait minutes); for the cluster step, a fourth instance
 * in cluster mode (a supervisor and two worker JVMs). One test, in the order an operator would
 * check a deployment; each step prints what it saw.
 */
@Tag("stack")
class StackIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KEY = "stack-key";
    private static final Duration SCRAPE = Duration.ofSeconds(1);

    /** A metric name as the dashboard and the alert rules write it (Prometheus's own {@code up} aside). */
    private static final Pattern METRIC = Pattern.compile("\\b((?:spindle|http|lettuce|jvm|process|sample)_[a-z0-9_]+)");
    private static final Pattern ALERT_EXPR = Pattern.compile("(?m)^\\s*expr: (.+)$");
    private static final Pattern LAG_ALERT = Pattern.compile(
            "- alert: SpindleEventLoopLagHigh\\s+expr: (.+)\\n");

    @TempDir
    Path workDir;

    @RegisterExtension
    final Running running = new Running();

    @Test
    void theStackServesScalesObservesAndSurvivesFailures() throws Exception {
        Path nginxBinary = Tools.require("nginx", "nginx-light");
        Path prometheusBinary = Tools.require("prometheus", "prometheus");
        if (!RedisServer.binaryAvailable()) {
            Tools.require("redis-server", "redis-server");
        }
        long started = System.nanoTime();

        RedisServer redis = running.started(RedisServer.withAppendOnly().start());
        // Blocked-loop reports from 50 ms instead of 100: a fast machine decodes the demo's photo in
        // less than 100 ms, and the test must see a report wherever it runs.
        Map<String, String> env = Map.of("REDIS_URL", redis.url(), "API_KEY", KEY,
                "SPINDLE_SAMPLE_PASSWORD_ITERATIONS", "1000", "SPINDLE_HTTP_TRUSTED_PROXIES", "loopback",
                "SPINDLE_LOOP_MONITOR_BLOCKED_THRESHOLD", "50ms");
        List<SampleProcess> apps = new ArrayList<>();
        for (String name : List.of("app1", "app2", "app3")) {
            Map<String, String> appEnv = new HashMap<>(env);
            appEnv.put("INSTANCE_ID", name);
            apps.add(running.started(SampleProcess.start(name, appEnv)));
        }
        for (SampleProcess app : apps) {
            app.awaitReady();
        }
        List<Integer> ports = apps.stream().map(SampleProcess::port).toList();
        int lbPort = FreePorts.next();
        Nginx nginx = running.started(Nginx.start(nginxBinary, lbPort, ports, workDir));
        Endpoint lb = Endpoint.at(lbPort);
        await("nginx").atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> nginx.isAlive() && lb.get("/health/ready").statusCode() == 200);
        int prometheusPort = FreePorts.next();
        Prometheus prometheus = running.started(Prometheus.start(prometheusBinary, prometheusPort,
                DeployFiles.localPrometheus(ports, Optional.of(SCRAPE), prometheusPort, workDir), workDir));
        await("prometheus ready").atMost(Duration.ofSeconds(60)).until(prometheus::isReady);
        print("redis-server (appendonly) on %d, apps on %s, nginx on %d; up after %d ms", redis.port(), ports, lbPort,
                millisSince(started));

        String cookie = sessionsAreSharedAcrossInstances(lb, apps);
        everyTargetIsUp(prometheus);
        generateTraffic(lb, apps);
        liveEventsReachTheClientsOfAnotherInstance(apps.get(0), apps.get(1));
        everyMetricTheDashboardAndAlertsUseIsExported(apps);
        everyDashboardQueryReturnsData(prometheus);
        inlineCpuWorkMakesTheLagAlertTrue(prometheus, apps.get(0));
        StackReports.requestedThroughNginxRunOnceInTheFleet(lb, apps);
        killingAnInstanceFailsAtMostItsRequestsInFlight(lb, apps.get(2), prometheus);
        StackCluster.killingAWorkerFailsAtMostItsRequestsInFlight(running, env);
        String held = StackReports.heldInRedis(apps.get(0));
        restartingRedisLosesNoSession(redis, apps.subList(0, 2), cookie);
        StackReports.heldReportRunsAfterTheRestart(apps.subList(0, 2), held);
        print("stack test done in %d ms", millisSince(started));
    }

    private static String sessionsAreSharedAcrossInstances(Endpoint lb, List<SampleProcess> apps) throws IOException {
        // Created through nginx on whichever replica, stored in Redis, so any replica can log Ops in.
        assertThat(lb.post("/api/v1/users",
                "{\"name\":\"Ops\",\"email\":\"ops@example.com\",\"password\":\"stack stack\"}",
                "X-Api-Key", KEY).statusCode()).isEqualTo(201);
        HttpResponse<String> login = apps.get(0).post("/api/v1/login",
                "{\"email\":\"ops@example.com\",\"password\":\"stack stack\"}");
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        for (SampleProcess app : apps) {
            HttpResponse<String> me = app.get("/api/v1/me", "Cookie", cookie);
            assertThat(me.statusCode()).as("%s reads the session app1 wrote: %s", app.port(), me.body()).isEqualTo(200);
            assertThat(me.body()).contains("\"name\":\"Ops\"");
        }
        Set<String> answeredBy = new TreeSet<>();
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> me = lb.get("/api/v1/me", "Cookie", cookie);
            assertThat(me.statusCode()).isEqualTo(200);
            answeredBy.add(me.headers().firstValue("X-Instance-Id").orElse("?"));
        }
        assertThat(answeredBy).containsExactly("app1", "app2", "app3");
        print("user created through nginx, logged in on app1; the session is seen by app1, app2, app3 directly "
                + "and through nginx (answered by %s)", answeredBy);
        HttpResponse<String> listed = apps.get(2).get("/api/v1/users");
        assertThat(listed.body()).as("users listed by app3").contains("ops@example.com");
        return cookie;
    }

    private static void everyTargetIsUp(Prometheus prometheus) {
        await("every scrape target up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(prometheus.targets()).hasSize(4)
                        .allSatisfy(target -> assertThat(target.path("health").asString())
                                .as("%s: %s", target.at("/labels/instance"), target.path("lastError")).isEqualTo("up")));
        print("prometheus: 4 targets up (3 apps and itself)");
    }

    /** Enough of every kind of request that each panel has something to show. */
    private static void generateTraffic(Endpoint lb, List<SampleProcess> apps) throws Exception {
        byte[] photo = TestImages.picture(800, 600, "jpeg");
        HttpClient client = HttpClient.newHttpClient();
        for (SampleProcess app : apps) {
            String id = createUser(app, "traffic-" + app.port() + "@example.com", "Traffic");
            // The first lookup may outlive the route's 2 s deadline on a busy machine (503); it
            // still fills the cache, and a later call gets the answer.
            await("reputation through " + app.port()).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> app.get("/api/v1/users/" + id + "/reputation").statusCode() == 200);
            for (int i = 0; i < 3; i++) {
                assertThat(app.get("/api/v1/users/" + id + "/reputation").statusCode()).isEqualTo(200);
                assertThat(app.get("/api/v1/users/missing").statusCode()).isEqualTo(404);
                assertThat(client.send(HttpRequest.newBuilder(app.uri("/api/v1/avatars?size=64"))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            }
            assertThat(app.get("/api/v1/export/users.csv", "X-Api-Key", KEY).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 30; i++) {
            assertThat(lb.get("/hello/stack").statusCode()).isEqualTo(200);
        }
    }

    static String createUser(SampleProcess app, String email, String name) throws IOException {
        HttpResponse<String> created = app.post("/api/v1/users",
                "{\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"password\":\"stack stack\"}", "X-Api-Key", KEY);
        assertThat(created.statusCode()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asString();
    }

    /**
     * Catches a renamed metric at its name, before the wait for data: each name the dashboard and
     * the alert rules use must be one the instances export (SSE and WebSocket gauges appear with a
     * route's first connection, hence after the real-time step).
     */
    private static void everyMetricTheDashboardAndAlertsUseIsExported(List<SampleProcess> apps) throws Exception {
        Set<String> exported = new TreeSet<>();
        for (SampleProcess app : apps) {
            app.get("/metrics").body().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                    .map(line -> line.split("[{ ]", 2)[0]).forEach(exported::add);
        }
        List<String> expressions = new ArrayList<>(dashboardQueries().keySet());
        Matcher rule = ALERT_EXPR.matcher(Files.readString(DeployFiles.DEPLOY.resolve("prometheus/alerts.yml")));
        while (rule.find()) {
            expressions.add(rule.group(1));
        }
        Set<String> used = new TreeSet<>();
        for (String expression : expressions) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                used.add(matcher.group(1));
            }
        }
        assertThat(used).as("metric names of the dashboard and alerts.yml that no instance exports")
                .allSatisfy(name -> assertThat(exported).contains(name));
        print("the dashboard and alerts.yml use %d metric names, all exported by the instances: %s", used.size(), used);
    }

    /** The dashboard's PromQL expressions, each with its panel's title, in the dashboard's order. */
    private static Map<String, String> dashboardQueries() throws IOException {
        JsonNode dashboard = JSON.readTree(Files.readString(DeployFiles.DEPLOY.resolve("grafana/dashboards/spindle.json")));
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(target.get("expr").asString(), panel.get("title").asString());
            }
        }
        return queries;
    }

    private static void everyDashboardQueryReturnsData(Prometheus prometheus) throws Exception {
        Map<String, String> queries = dashboardQueries();
        await("every dashboard query with data").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    List<String> empty = new ArrayList<>();
                    for (Map.Entry<String, String> query : queries.entrySet()) {
                        if (prometheus.query(query.getKey()).isEmpty()) {
                            empty.add(query.getValue() + ": " + query.getKey());
                        }
                    }
                    assertThat(empty).as("dashboard queries without data").isEmpty();
                });
        for (Map.Entry<String, String> query : queries.entrySet()) {
            print("dashboard %-32s %3d series  %s", query.getValue(), prometheus.query(query.getKey()).size(),
                    query.getKey());
        }
        print("dashboard: all %d queries return data", queries.size());
    }

    private void inlineCpuWorkMakesTheLagAlertTrue(Prometheus prometheus, SampleProcess app) throws Exception {
        Matcher matcher = LAG_ALERT.matcher(Files.readString(DeployFiles.DEPLOY.resolve("prometheus/alerts.yml")));
        assertThat(matcher.find()).as("SpindleEventLoopLagHigh in alerts.yml").isTrue();
        String expr = matcher.group(1).strip();
        String instance = "127.0.0.1:" + app.port();
        // Not asserted false beforehand: on a busy machine, three JVMs starting at once may already
        // have made a loop late; what matters is that the demo makes it true.
        print("lag alert expression before the demo: %s", prometheus.query(expr).size() + " series true");

        // A phone photo (12 megapixels, 2.5 MB) scaled on the event loop, again and again, from one client.
        byte[] photo = TestImages.picture(4000, 3000, "jpeg");
        HttpClient client = HttpClient.newHttpClient();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService load = Executors.newSingleThreadExecutor();
        Future<?> demo = load.submit(() -> {
            while (!stop.get()) {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(app.uri("/demo/inline/avatars"))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(response.statusCode()).isEqualTo(200);
                sent.incrementAndGet();
            }
            return null;
        });
        try {
            await("the lag alert's expression true and a blocked-loop report for " + instance)
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        if (demo.isDone()) {
                            demo.get();
                        }
                        return prometheus.query(expr).stream().anyMatch(series ->
                                series.at("/metric/instance").asString().equals(instance))
                                && blockedReports(prometheus, instance) > 0;
                    });
        } finally {
            stop.set(true);
            demo.get(60, TimeUnit.SECONDS);
            load.shutdown();
        }
        List<JsonNode> firing = prometheus.query(expr);
        print("lag alert expression true after %d inline demo requests: %s", sent.get(), firing.stream()
                .map(series -> series.at("/metric/instance").asString() + " loop " + series.at("/metric/loop").asString()
                        + " p99 " + series.at("/value/1").asString() + " s").toList());
        print("blocked-loop reports on %s: %.0f", instance, blockedReports(prometheus, instance));
    }

    private static double blockedReports(Prometheus prometheus, String instance) throws IOException {
        return prometheus.query("sum(spindle_eventloop_blocked_total{instance=\"" + instance + "\"})").stream()
                .mapToDouble(series -> Double.parseDouble(series.at("/value/1").asString())).sum();
    }

    /** An SSE and a WebSocket client on app2 hear of a user created through app1, through Redis. */
    private static void liveEventsReachTheClientsOfAnotherInstance(SampleProcess publisher, SampleProcess listener)
            throws Exception {
        try (LiveClients clients = LiveClients.connect(listener.port())) {
            await("an SSE stream and a WebSocket open on app2").atMost(Duration.ofSeconds(30))
                    .until(() -> FleetMetrics.of(listener, "spindle_sse_streams") >= 1
                            && FleetMetrics.of(listener, "spindle_websocket_connections") >= 1);
            // A stream is counted when it opens, its subscription reaches Redis a moment later: a
            // user is created through app1 each second until one's event has reached both clients.
            Map<String, Long> sent = new LinkedHashMap<>();
            String event = await("a user.created event from app1 at both clients on app2").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        for (String created : sent.keySet()) {
                            if (clients.sseArrival(created) != null && clients.webSocketArrival(created) != null) {
                                return created;
                            }
                        }
                        long before = System.nanoTime();
                        String id = createUser(publisher, "live-" + sent.size() + "@example.com", "Live");
                        sent.put("{\"type\":\"user.created\",\"id\":\"" + id + "\"}", before);
                        return null;
                    }, Objects::nonNull);
            long origin = sent.get(event);
            print("%s, created through app1 (POST sent %d time(s)), reached app2's SSE client after %d ms and its "
                    + "WebSocket client after %d ms", event, sent.size(),
                    TimeUnit.NANOSECONDS.toMillis(clients.sseArrival(event) - origin),
                    TimeUnit.NANOSECONDS.toMillis(clients.webSocketArrival(event) - origin));
        }
    }

    private static void killingAnInstanceFailsAtMostItsRequestsInFlight(Endpoint lb, SampleProcess victim,
                                                                       Prometheus prometheus) throws Exception {
        Traffic traffic = Traffic.start(lb, 4);
        int inFlightAtKill;
        try {
            await("traffic before the kill").atMost(Duration.ofSeconds(30)).until(() -> traffic.ok() >= 100);
            inFlightAtKill = traffic.inFlight();
            victim.kill();
            victim.awaitExit(Duration.ofSeconds(10));
            int okAtKill = traffic.ok();
            await("traffic after the kill").atMost(Duration.ofSeconds(60)).until(() -> traffic.ok() >= okAtKill + 200);
        } finally {
            traffic.stop();
        }
        List<String> failures = traffic.failures();
        print("killed %s (SIGKILL) under %d clients: %d requests in flight at the kill, %d succeeded, %d failed %s",
                "app3", traffic.clients(), inFlightAtKill, traffic.ok(), failures.size(), failures);
        assertThat(failures.size()).as("failed requests (at most those in flight at the kill)")
                .isLessThanOrEqualTo(inFlightAtKill);
        String instance = "127.0.0.1:" + victim.port();
        await("prometheus sees the instance down").atMost(Duration.ofSeconds(30)).until(() ->
                prometheus.query("up{job=\"sample-app\",instance=\"" + instance + "\"} == 0").size() == 1);
        print("prometheus: up == 0 for %s (SpindleInstanceDown fires after a minute of this)", instance);
    }

    private static void restartingRedisLosesNoSession(RedisServer redis, List<SampleProcess> apps, String cookie) {
        redis.kill();
        // While Redis is down the session cannot be read: a 503, never a logged-out answer.
        await("a 503 while Redis is down").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                apps.get(0).get("/api/v1/me", "Cookie", cookie).statusCode() == 503);
        redis.restart();
        for (SampleProcess app : apps) {
            await("the session through " + app.port() + " after the Redis restart").atMost(Duration.ofSeconds(60))
                    .ignoreExceptions().untilAsserted(() -> {
                        HttpResponse<String> me = app.get("/api/v1/me", "Cookie", cookie);
                        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
                        assertThat(me.body()).contains("\"name\":\"Ops\"");
                    });
        }
        print("redis-server killed (SIGKILL) and restarted from its append-only file: the session is still there");
    }


    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    static void print(String format, Object... args) {
        System.out.println("[stack] " + String.format(format, args));
    }
}
