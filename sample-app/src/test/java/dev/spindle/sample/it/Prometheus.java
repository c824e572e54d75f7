package dev.spindle.sample.it;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real Prometheus server on a free loopback port, run on a local copy of the deployed configuration. */
public final class Prometheus implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Endpoint http;
    private final Path log;

    private Prometheus(Process process, Endpoint http, Path log) {
        this.process = process;
        this.http = http;
        this.log = log;
    }

    /** Starts {@code binary} on {@code port} with {@code config}, keeping its data and log in {@code workDir}. */
    public static Prometheus start(Path binary, int port, Path config, Path workDir) throws IOException {
        Path log = workDir.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Prometheus(process, Endpoint.at(port), log);
    }

    /** Whether the server answers {@code /-/ready}. */
    public boolean isReady() {
        if (!process.isAlive()) {
            throw new IllegalStateException("prometheus exited with " + process.exitValue() + ": " + log());
        }
        try {
            return http.get("/-/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The scrape targets ({@code /api/v1/targets}, active ones). */
    public List<JsonNode> targets() throws IOException {
        return list(api("/api/v1/targets").at("/data/activeTargets"));
    }

    /** The result vector of an instant query. */
    public List<JsonNode> query(String promql) throws IOException {
        JsonNode answer = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return list(answer.at("/data/result"));
    }

    /** The rules Prometheus loaded and their state ({@code /api/v1/rules}). */
    public JsonNode rules() throws IOException {
        return api("/api/v1/rules");
    }

    private JsonNode api(String path) throws IOException {
        HttpResponse<String> response = http.get(path);
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asString(""))) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return body;
    }

    private static List<JsonNode> list(JsonNode array) {
        return array.isArray() ? array.valueStream().toList() : List.of();
    }

    /** The server's own log so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        Tools.stop(process, Duration.ofSeconds(20));
    }
}
