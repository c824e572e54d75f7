package dev.spindle.cluster.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart replaces every worker, each new one ready before the old one drains, while a
 * client keeps sending requests: not one may fail.
 */
class RollingRestartProcessTest {

    private static final int CLIENTS = 4;

    @Test
    void rollingRestartThroughTheAdminRouteFailsNoRequestUnderASteadyStream() throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(2, Map.of())) {
            rollUnderLoad(cluster, "admin route", () -> {
                assertThat(cluster.admin("POST", "/cluster/rolling-restart").statusCode()).isEqualTo(202);
                assertThat(cluster.admin("POST", "/cluster/rolling-restart").statusCode())
                        .as("a second one while the first runs").isEqualTo(409);
            });
            assertThat(cluster.admin("GET", "/metrics").body())
                    .contains("spindle_cluster_rolling_restarts_total{result=\"completed\"} 1.0")
                    .contains("spindle_cluster_rolling_restarts_total{result=\"refused\"} 1.0");
        }
    }

    @Test
    void sighupStartsARollingRestartThatFailsNoRequest() throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(2, Map.of())) {
            rollUnderLoad(cluster, "SIGHUP", () -> cluster.signal("HUP"));
            assertThat(cluster.log()).contains("Rolling restart (SIGHUP)");
        }
    }

    @Test
    void aWorkerCanAskTheSupervisorForARollingRestart() throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(2, Map.of())) {
            rollUnderLoad(cluster, "worker request", () -> assertThat(cluster.post("/rolling-restart")).isEqualTo(202));
            assertThat(cluster.log()).contains("Rolling restart (asked by worker pid");
        }
    }

    private interface Trigger {
        void fire() throws Exception;
    }

    private static void rollUnderLoad(ClusterProcess cluster, String how, Trigger trigger) throws Exception {
        Set<Long> before = cluster.awaitReady(2).stream().map(ClusterProcess.Worker::pid).collect(Collectors.toSet());
        // HTTP/1.1, as a load balancer speaks to its upstreams (h2c clients: see the README's cluster notes).
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port + "/pid"))
                .timeout(Duration.ofSeconds(20)).build();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Set<String> answeredBy = ConcurrentHashMap.newKeySet();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                            answeredBy.add(response.body());
                        } else {
                            synchronized (failures) {
                                failures.add("status " + response.statusCode() + ": " + response.body());
                            }
                        }
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.add(e.toString());
                        }
                    }
                }
            }, "steady-client-" + i);
            thread.start();
            clients.add(thread);
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() >= 200);
            long start = System.nanoTime();
            trigger.fire();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                List<ClusterProcess.Worker> now = cluster.workers();
                return now.size() == 2 && now.stream().allMatch(worker -> worker.state().equals("ready")
                        && !before.contains(worker.pid())) && cluster.log().contains("Rolling restart completed");
            });
            long rolledMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            int atEnd = ok.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() >= atEnd + 200);
            running.set(false);
            for (Thread thread : clients) {
                thread.join(30_000);
            }
            Set<String> after = cluster.workers().stream().map(w -> String.valueOf(w.pid())).collect(Collectors.toSet());
            System.out.printf("Rolling restart (%s) of 2 workers under %d steady clients: %d ms, %d requests answered "
                    + "by %d processes, %d failed %s%n", how, CLIENTS, rolledMillis, ok.get(), answeredBy.size(),
                    failures.size(), failures.stream().limit(5).toList());
            assertThat(failures).as("failed requests during the rolling restart").isEmpty();
            // Kept-alive connections may all have moved to one of the new workers: one is enough here.
            assertThat(answeredBy).as("new workers served").containsAnyElementsOf(after);
            for (int i = 0; i < 20; i++) {
                assertThat(after).as("new connections reach the new workers only").contains(cluster.pid());
            }
        } finally {
            running.set(false);
        }
    }
}
