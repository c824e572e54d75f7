package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spindle.http.Response;
import dev.spindle.test.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's curl (OpenSSL) fetches over HTTPS, verifying the chain and the name against the test root. */
class CurlHttpsTest {

    @TempDir
    Path dir;

    @Test
    void curlFetchesOverHttpsVerifyingTheCertificate() throws Exception {
        Path curl = Path.of("/usr/bin/curl");
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (ci) {
            assertThat(curl).as("curl is required under CI=true").isExecutable();
        }
        assumeTrue(Files.isExecutable(curl), "curl is not installed; skipping (it is required under CI=true)");
        TestPki.writePem(TestPki.server("curl"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
        try (TestServer server = TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString())
                .set("server.tls.hsts", "1d")
                .start(app -> app.get("/hello", ctx -> Response.text("hello over " + ctx.scheme()).completed()))) {

            String output = run(List.of(curl.toString(), "-sS", "-v", "--http1.1", "--cacert",
                    TestPki.rootPem(dir).toString(), "https://localhost:" + server.port() + "/hello"));

            assertThat(output).contains("SSL connection using TLSv1.3")
                    .contains("SSL certificate verify ok")
                    .containsIgnoringCase("strict-transport-security: max-age=86400")
                    .endsWith("hello over https");
        }
    }

    private String run(List<String> command) throws IOException, InterruptedException {
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
