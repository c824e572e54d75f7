package dev.spindle.sample.it;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar sample-app.jar} as a child process on a free port, the way it runs in
 * production: its own JVM, configured through the environment, stopped by a signal.
 */
public final class SampleProcess implements AutoCloseable {

    /** The shaded jar that {@code mvn package} built. */
    public static final Path JAR = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));

    private final String name;
    private final int port;
    private final Endpoint endpoint;
    private final Process process;
    private final long startNanos;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();

    private SampleProcess(String name, int port, Process process, long startNanos) {
        this.name = name;
        this.port = port;
        this.endpoint = Endpoint.at(port);
        this.process = process;
        this.startNanos = startNanos;
        pump(process.getInputStream(), stdout, "stdout");
        pump(process.getErrorStream(), stderr, "stderr");
    }

    /** Starts the jar on a free port with {@code PORT} and the given extra environment. */
    public static SampleProcess start(String name, Map<String, String> environment) {
        return start(name, environment, List.of());
    }

    /** As {@link #start(String, Map)}, with extra JVM options before {@code -jar}. */
    public static SampleProcess start(String name, Map<String, String> environment, List<String> jvmOptions) {
        return start(name, Path.of(javaBinary()), environment, jvmOptions);
    }

    /** As {@link #start(String, Map, List)}, on the Java runtime whose launcher is {@code java}. */
    public static SampleProcess start(String name, Path java, Map<String, String> environment, List<String> jvmOptions) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: integration tests run after `mvn package`");
        }
        int port = FreePorts.next();
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        // The build's own settings must not leak into the app under test.
        env.keySet().removeIf(key -> key.startsWith("SPINDLE_") || key.equals("LOG_FORMAT") || key.equals("API_KEY")
                || key.equals("INSTANCE_ID") || key.equals("JAVA_TOOL_OPTIONS"));
        env.putAll(environment);
        env.put("PORT", Integer.toString(port));
        long start = System.nanoTime();
        try {
            return new SampleProcess(name, port, builder.start(), start);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + builder.command(), e);
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void pump(InputStream stream, List<String> lines, String which) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    System.out.println("[" + name + " " + which + "] " + line);
                }
            } catch (IOException e) {
                System.out.println("[" + name + "] " + which + " closed: " + e);
            }
        }, name + "-" + which);
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until {@code /health/ready} answers 200 and returns the time since the process started. */
    public Duration awaitReady() {
        await(name + " ready on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; stderr: "
                                + stderr);
                    }
                    try {
                        return get("/health/ready").statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The bound port. */
    public int port() {
        return port;
    }

    /** This process's HTTP endpoint. */
    public Endpoint http() {
        return endpoint;
    }

    /** The absolute URI of {@code path}. */
    public URI uri(String path) {
        return endpoint.uri(path);
    }

    /** GET {@code path} with optional header name/value pairs. */
    public HttpResponse<String> get(String path, String... headers) throws IOException {
        return endpoint.get(path, headers);
    }

    /** POST a JSON body with optional header name/value pairs. */
    public HttpResponse<String> post(String path, String json, String... headers) throws IOException {
        return endpoint.post(path, json, headers);
    }

    /** Lines the process printed on standard output so far. */
    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    /**
     * Sends SIGTERM. Through the {@link ProcessHandle}: {@link Process#destroy()} sends the same
     * signal but also closes our end of the pipes, and the shutdown logs would be lost.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Sends SIGKILL: the process dies without draining, as in a crash. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Waits for the process to exit and returns its status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still running after " + timeout);
        }
        return process.exitValue();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
