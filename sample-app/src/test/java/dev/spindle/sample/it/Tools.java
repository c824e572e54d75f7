package dev.spindle.sample.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** External programs the topology test uses (nginx, promtool), found on the PATH or in sbin. */
public final class Tools {

    private Tools() {}

    /** The executable {@code name}, if installed. */
    public static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
        return dirs.stream().filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable).findFirst();
    }

    /**
     * The executable {@code name}; when it is missing the test fails under {@code CI=true} and is
     * skipped, loudly, elsewhere.
     */
    public static Path require(String name, String debianPackage) {
        Optional<Path> tool = find(name);
        if (tool.isPresent()) {
            return tool.get();
        }
        String message = name + " is not installed (apt-get install " + debianPackage + ")";
        if (isCi()) {
            Assertions.fail(message + ", and CI=true requires it");
        }
        String bar = "!".repeat(Math.min(120, message.length() + 20));
        System.err.println(bar + "\n!!! " + message + "; SKIPPED !!!\n" + bar);
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** Whether this run is CI ({@code CI=true}), where a missing tool fails instead of skipping. */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Runs {@code command} to completion (at most a minute) and returns its exit status and output. */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, null);
    }

    /** As {@link #run(List)}, in the working directory {@code dir} (the current one when null). */
    public static Result run(List<String> command, Path dir) throws IOException, InterruptedException {
        Path output = Files.createTempFile("spindle-tool", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within a minute");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Stops {@code process} with SIGTERM, then SIGKILL if it is still there after {@code grace}, and waits for it. */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A finished command.
     *
     * @param status the exit status
     * @param output standard output and error, interleaved
     */
    public record Result(int status, String output) {}
}
