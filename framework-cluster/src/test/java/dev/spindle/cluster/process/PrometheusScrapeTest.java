package dev.spindle.cluster.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a 2-worker cluster through the targets file the supervisor keeps:
 * each worker is its own target with a {@code worker} label, the supervisor one more, and a
 * replaced worker's new endpoint is picked up without touching Prometheus.
 */
class PrometheusScrapeTest {

    private static final Pattern UP_TARGET = Pattern.compile("\"scrapeUrl\":\"http://([^\"]+)/metrics\"[^}]*?\"health\":\"up\"");

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesEveryWorkerThroughTheSupervisorsTargetsFile() throws Exception {
        String prometheusBinary = prometheus();
        Path targets = dir.resolve("targets.json");
        try (ClusterProcess cluster = ClusterProcess.start(2, Map.of("cluster.prometheus-sd-file", targets.toString()))) {
            List<ClusterProcess.Worker> workers = cluster.awaitReady(2);
            for (int i = 0; i < 20; i++) {
                cluster.pid();
            }
            int prometheusPort = ClusterProcess.freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: spindle
                        file_sd_configs:
                          - files: ['%s']
                            refresh_interval: 1s
                    """.formatted(targets));
            Process prometheus = new ProcessBuilder(prometheusBinary, "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/";
                String expectedWorkers = workers.stream().map(w -> "127.0.0.1:" + w.metricsPort()).sorted().toList().toString();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(upTargets(api)).as("targets up").hasSize(3)
                                .containsAll(workers.stream().map(w -> "127.0.0.1:" + w.metricsPort()).toList())
                                .contains("127.0.0.1:" + cluster.adminPort));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(get(api + "query?query=" + URLEncoder.encode(
                                "count by (worker) (http_server_requests_seconds_count{role=\"worker\"})",
                                StandardCharsets.UTF_8)))
                                .contains("\"worker\":\"1\"").contains("\"worker\":\"2\""));
                System.out.printf("Prometheus scraped workers %s and the supervisor at 127.0.0.1:%d%n",
                        expectedWorkers, cluster.adminPort);

                ClusterProcess.Worker victim = workers.get(1);
                ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    List<ClusterProcess.Worker> now = cluster.workers();
                    assertThat(now).hasSize(2).allMatch(w -> w.state().equals("ready"))
                            .noneMatch(w -> w.pid() == victim.pid());
                    assertThat(upTargets(api)).hasSize(3)
                            .containsAll(now.stream().map(w -> "127.0.0.1:" + w.metricsPort()).toList());
                });
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    private static List<String> upTargets(String api) throws Exception {
        String body = get(api + "targets?state=active");
        Matcher matcher = UP_TARGET.matcher(body);
        java.util.ArrayList<String> up = new java.util.ArrayList<>();
        while (matcher.find()) {
            up.add(matcher.group(1));
        }
        return up;
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The prometheus binary; required under CI, else the test is skipped loudly. */
    private static String prometheus() {
        for (String candidate : List.of("/usr/bin/prometheus", "/usr/local/bin/prometheus")) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        boolean required = "true".equalsIgnoreCase(System.getenv("CI"));
        if (required) {
            throw new AssertionError("prometheus is not installed (apt-get install prometheus); CI=true requires it");
        }
        System.err.println("SKIPPED: prometheus is not installed (apt-get install prometheus)");
        Assumptions.abort("prometheus is not installed");
        return null;
    }
}
