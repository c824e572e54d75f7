package dev.spindle.cluster.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster supervisor running {@link ClusterTestApp} as a real process (java on this test's class
 * path), on a free port, with its admin endpoint on another, its output in a file.
 */
final class ClusterProcess implements AutoCloseable {

    private static final Pattern WORKER = Pattern.compile(
            "\\{\"worker\":(\\d+),\"pid\":(\\d+),\"state\":\"(\\w+)\",\"metricsPort\":(-?\\d+),\"uptimeMillis\":(\\d+)}");

    /** A worker as the admin endpoint lists it. */
    record Worker(int slot, long pid, String state, int metricsPort) {}

    final Process process;
    final int port;
    final int adminPort;
    final Path log;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ClusterProcess(Process process, int port, int adminPort, Path log) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    /** Starts a supervisor of {@code workers} workers with the extra settings and app arguments. */
    static ClusterProcess start(int workers, Map<String, String> settings, String... args) {
        try {
            int port = freePort();
            int adminPort = freePort();
            Path log = Files.createTempFile("spindle-cluster", ".log");
            Map<String, String> all = new LinkedHashMap<>();
            all.put("server.host", "127.0.0.1");
            all.put("server.port", String.valueOf(port));
            all.put("event-loops", "2");
            all.put("offload.threads", "1");
            all.put("cluster.workers", String.valueOf(workers));
            all.put("cluster.admin-port", String.valueOf(adminPort));
            all.put("cluster.worker-jvm-options", "-Xmx96m -Xss512k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto");
            all.put("loop-monitor.startup-grace", "30s");
            all.putAll(settings);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
            all.forEach((key, value) -> command.add("-Dspindle." + key + "=" + value));
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(ClusterTestApp.class.getName());
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().remove("PORT");
            return new ClusterProcess(builder.start(), port, adminPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** The workers the supervisor lists; empty while its admin endpoint is not up. */
    List<Worker> workers() {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + adminPort + "/cluster/workers")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            List<Worker> workers = new ArrayList<>();
            Matcher matcher = WORKER.matcher(response.body());
            while (matcher.find()) {
                workers.add(new Worker(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)),
                        matcher.group(3), Integer.parseInt(matcher.group(4))));
            }
            return workers;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until exactly {@code count} workers are listed, all ready; returns them. */
    List<Worker> awaitReady(int count) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(process.isAlive()).as("supervisor alive; its log:%n%s", log()).isTrue();
            List<Worker> workers = workers();
            return workers.size() == count && workers.stream().allMatch(worker -> worker.state().equals("ready"));
        });
        return workers();
    }

    /** One request on a new connection to the shared port; the answering worker's pid. */
    String pid() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pid"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** GET {@code path} on the shared port; the body. */
    String get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** POST {@code path} on the shared port; the status. */
    int post(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    HttpResponse<String> admin(String method, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Sends a signal (TERM, HUP, KILL) to the supervisor. */
    void signal(String name) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start()
                .waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Waits for the supervisor to exit; its status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as("supervisor exited within %s; its log:%n%s", timeout, log()).isTrue();
        return process.exitValue();
    }

    @Override
    public void close() throws IOException {
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            try {
                process.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        children.forEach(ProcessHandle::destroyForcibly);
        Files.deleteIfExists(log);
    }
}
