package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's curl for integration tests: required under CI=true, skipped loudly elsewhere when missing. */
final class Curl {

    private static final Path CURL = Path.of("/usr/bin/curl");

    private Curl() {}

    /** Fails under CI=true when curl is missing; otherwise skips the test. */
    static void require() {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(CURL).as("curl is required under CI=true").isExecutable();
        }
        assumeTrue(Files.isExecutable(CURL), "curl is not installed; skipping (it is required under CI=true)");
    }

    /** Runs {@code curl -sS -v arguments...}, expects exit 0 within a minute, and returns what it printed. */
    static String run(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CURL.toString(), "-sS", "-v", "--max-time", "30"));
        command.addAll(List.of(arguments));
        Path log = dir.resolve("curl.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish within a minute");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
