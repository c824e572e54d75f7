package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's curl (OpenSSL) fetches over HTTPS, verifying the chain and the name against the test root. */
class CurlHttpsTest {

    @TempDir
    Path dir;

    @Test
    void curlFetchesOverHttpsVerifyingTheCertificate() throws Exception {
        Curl.require();
        TestPki.writePem(TestPki.server("curl"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
        try (TestServer server = TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString())
                .set("server.tls.hsts", "1d")
                .start(app -> app.get("/hello", ctx -> Response.text("hello over " + ctx.scheme()).completed()))) {

            String output = Curl.run(dir, "--http1.1", "--cacert", TestPki.rootPem(dir).toString(),
                    "https://localhost:" + server.port() + "/hello");

            assertThat(output).contains("SSL connection using TLSv1.3")
                    .contains("SSL certificate verify ok")
                    .containsIgnoringCase("strict-transport-security: max-age=86400")
                    .endsWith("hello over https");
        }
    }
}
