package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.TestClient;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Renewed certificate files are picked up without a restart; unusable ones leave the served certificate alone. */
class CertificateReloadTest {

    @TempDir
    Path dir;

    private TestServer pemServer(X509Bundle certificate) throws IOException {
        TestPki.writePem(certificate, dir.resolve("tls.crt"), dir.resolve("tls.key"));
        return TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString())
                .set("server.tls.reload-interval", "100ms")
                .start(app -> app.get("/hello", ctx -> Response.text("hello").completed()));
    }

    private static BigInteger servedSerial(TestResponse response) throws IOException {
        return ((X509Certificate) response.raw().sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    private static double reloads(TestServer server, String result) {
        return server.app().meterRegistry().get("spindle.tls.certificate.reloads").tag("result", result).counter().count();
    }

    @ParameterizedTest(name = "http2={0}")
    @ValueSource(booleans = {false, true})
    void reloadsARenewedCertificateDuringTrafficWithoutAFailedRequest(boolean http2) throws Exception {
        X509Bundle first = TestPki.server("before-renewal");
        X509Bundle second = TestPki.server("after-renewal");
        try (TestServer server = pemServer(first)) {
            URI base = URI.create("https://127.0.0.1:" + server.port());
            TestClient keptAlive = over(http2, TestClient.https(base, TestPki.trust()));
            Set<BigInteger> served = ConcurrentHashMap.newKeySet();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicInteger answered = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Runnable newConnections = () -> traffic(stop, failures, answered, () -> {
                TestResponse response = over(http2, TestClient.https(base, TestPki.trust())).get("/hello");
                served.add(servedSerial(response));
                return response;
            });
            Runnable oneConnection = () -> traffic(stop, failures, answered, () -> keptAlive.get("/hello"));
            Thread fresh = new Thread(newConnections, "tls-reload-new-connections");
            Thread kept = new Thread(oneConnection, "tls-reload-kept-alive");
            fresh.start();
            kept.start();
            try {
                await().until(() -> served.contains(first.getCertificate().getSerialNumber()) && answered.get() > 5);

                TestPki.writePem(second, dir.resolve("tls.crt"), dir.resolve("tls.key"));

                await().until(() -> served.contains(second.getCertificate().getSerialNumber()));
                int atRenewal = answered.get();
                await().until(() -> answered.get() > atRenewal + 5);
            } finally {
                stop.set(true);
                fresh.join();
                kept.join();
            }

            assertThat(failures).isEmpty();
            assertThat(reloads(server, "success")).isEqualTo(1);
            assertThat(server.app().meterRegistry().get("spindle.tls.certificate.expiry").gauge().value())
                    .isEqualTo(second.getCertificate().getNotAfter().toInstant().getEpochSecond());
        }
    }

    /** The client over HTTP/2 (ALPN h2; an answer over HTTP/1.1 fails) or HTTP/1.1. */
    private static TestClient over(boolean http2, TestClient client) {
        return http2 ? client.http2() : client;
    }

    private interface Call {
        TestResponse call() throws Exception;
    }

    private static void traffic(AtomicBoolean stop, List<Throwable> failures, AtomicInteger answered, Call call) {
        while (!stop.get()) {
            try {
                TestResponse response = call.call();
                if (response.status() != 200) {
                    failures.add(new AssertionError("status " + response.status()));
                }
                answered.incrementAndGet();
            } catch (Exception | AssertionError e) {
                failures.add(e);
            }
        }
    }

    @Test
    void keepsServingTheOldCertificateWhenTheNewFilesCannotBeUsed() throws IOException {
        X509Bundle first = TestPki.server("kept");
        X509Bundle second = TestPki.server("renewed");
        try (TestServer server = pemServer(first);
             LogCapture log = LogCapture.of("dev.spindle.http.internal.tls")) {
            TestClient client = server.httpsClient(TestPki.trust());

            TestPki.write(dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");

            await().until(() -> reloads(server, "failure") == 1);
            assertThat(servedSerial(client.get("/hello"))).isEqualTo(first.getCertificate().getSerialNumber());
            assertThat(log.containing("still serving the previous certificate")).hasSize(1);

            // A renewed chain next to the old key: the pair is refused, not served to fail every handshake.
            TestPki.write(dir.resolve("tls.crt"), TestPki.chainPem(second));

            await().until(() -> reloads(server, "failure") == 2);
            assertThat(log.containing("does not belong to the certificate")).hasSize(1);
            assertThat(servedSerial(TestClient.https(client.base(), TestPki.trust()).get("/hello")))
                    .isEqualTo(first.getCertificate().getSerialNumber());

            TestPki.write(dir.resolve("tls.key"), second.getPrivateKeyPEM());

            await().until(() -> reloads(server, "success") == 1);
            assertThat(servedSerial(TestClient.https(client.base(), TestPki.trust()).get("/hello")))
                    .isEqualTo(second.getCertificate().getSerialNumber());
            assertThat(reloads(server, "failure")).isEqualTo(2);
        }
    }

    @Test
    void reloadsARenewedPkcs12Keystore() throws IOException {
        X509Bundle first = TestPki.server("p12-first");
        X509Bundle second = TestPki.server("p12-second");
        TestPki.writePkcs12(first, dir.resolve("tls.p12"), "changeit");
        try (TestServer server = TestServer.builder()
                .set("server.tls.keystore", dir.resolve("tls.p12").toString())
                .set("server.tls.keystore-password", "changeit")
                .set("server.tls.reload-interval", "100ms")
                .start(app -> app.get("/hello", ctx -> Response.text("hello").completed()))) {

            TestPki.writePkcs12(second, dir.resolve("tls.p12"), "changeit");

            await().until(() -> reloads(server, "success") == 1);
            assertThat(servedSerial(server.httpsClient(TestPki.trust()).get("/hello")))
                    .isEqualTo(second.getCertificate().getSerialNumber());
        }
    }
}
