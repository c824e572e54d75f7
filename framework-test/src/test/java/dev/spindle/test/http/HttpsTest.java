package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ConfigException;
import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import dev.spindle.test.TestClient;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTPS end to end: the JDK's HttpClient against certificates from the test CA, on both engines. */
class HttpsTest {

    private static final Consumer<Spindle> ROUTES = app -> {
        app.get("/hello", ctx -> Response.text("hello over " + ctx.scheme()).completed());
        app.post("/echo", ctx -> Response.text(ctx.bodyText()).completed());
    };

    @TempDir
    Path dir;

    private TestServer pemServer(X509Bundle certificate, String... settings) throws IOException {
        TestPki.writePem(certificate, dir.resolve("tls.crt"), dir.resolve("tls.key"));
        TestServer.Builder builder = TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString());
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        return builder.start(ROUTES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void servesHttpsWithAPemChainOnEitherEngine(String engine) throws IOException {
        X509Bundle certificate = TestPki.server("pem-" + engine);
        try (TestServer server = pemServer(certificate, "server.tls.engine", engine)) {
            TestClient client = server.httpsClient(TestPki.trust());

            TestResponse response = client.get("/hello");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello over https");
            SSLSession session = response.raw().sslSession().orElseThrow();
            assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
            assertThat(session.getPeerCertificates()).hasSize(2);
            assertThat(((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber())
                    .isEqualTo(certificate.getCertificate().getSerialNumber());
            assertThat(client.post("/echo", "{\"a\":1}").body()).isEqualTo("{\"a\":1}");
        }
    }

    @Test
    void servesHttpsWithAnEncryptedPrivateKey() throws IOException {
        X509Bundle certificate = TestPki.server("encrypted");
        TestPki.write(dir.resolve("tls.crt"), TestPki.chainPem(certificate));
        TestPki.write(dir.resolve("tls.key"), TestPki.encryptedKeyPem(certificate, "s3cret"));
        try (TestServer server = TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString())
                .set("server.tls.private-key-password", "s3cret")
                .start(ROUTES)) {
            assertThat(server.httpsClient(TestPki.trust()).get("/hello").body()).isEqualTo("hello over https");
        }
    }

    @Test
    void servesHttpsFromAPkcs12Keystore() throws IOException {
        X509Bundle certificate = TestPki.server("pkcs12");
        TestPki.writePkcs12(certificate, dir.resolve("tls.p12"), "changeit");
        try (TestServer server = TestServer.builder()
                .set("server.tls.keystore", dir.resolve("tls.p12").toString())
                .set("server.tls.keystore-password", "changeit")
                .start(ROUTES)) {
            TestResponse response = server.httpsClient(TestPki.trust()).get("/hello");

            assertThat(response.body()).isEqualTo("hello over https");
            assertThat(((X509Certificate) response.raw().sslSession().orElseThrow().getPeerCertificates()[0])
                    .getSerialNumber()).isEqualTo(certificate.getCertificate().getSerialNumber());
        }
    }

    @Test
    void allowsTls12WithAModernCipherOnly() throws IOException {
        try (TestServer server = pemServer(TestPki.server("tls12"))) {
            TestClient client = server.httpsClient(TestPki.trust());
            javax.net.ssl.SSLParameters tls12 = new javax.net.ssl.SSLParameters();
            tls12.setProtocols(new String[] {"TLSv1.2"});

            SSLSession session = TlsClients.handshake(server.port(), TestPki.trust(), tls12);

            assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
            assertThat(session.getCipherSuite()).startsWith("TLS_ECDHE_ECDSA_WITH_").containsAnyOf("_GCM_", "CHACHA20");
            assertThat(client.get("/hello").status()).isEqualTo(200);
        }
    }

    @Test
    void sendsHstsOnEveryHttpsResponseWhenConfigured() throws IOException {
        try (TestServer server = pemServer(TestPki.server("hsts"), "server.tls.hsts", "365d",
                "server.tls.hsts-include-subdomains", "true")) {
            TestClient client = server.httpsClient(TestPki.trust());

            assertThat(client.get("/hello").header("Strict-Transport-Security"))
                    .contains("max-age=31536000; includeSubDomains");
            assertThat(client.get("/missing").header("Strict-Transport-Security"))
                    .contains("max-age=31536000; includeSubDomains");
        }
    }

    @Test
    void sendsNoHstsByDefault() throws IOException {
        try (TestServer server = pemServer(TestPki.server("no-hsts"))) {
            assertThat(server.httpsClient(TestPki.trust()).get("/hello").header("Strict-Transport-Security")).isEmpty();
        }
    }

    @Test
    void servesFilesOverTlsWithoutSendfile() throws IOException {
        // Past the write-buffer high-water mark, so reading the file pauses and resumes at least once.
        byte[] content = new byte[600 * 1024 + 123];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + (i >> 12));
        }
        Path file = Files.write(dir.resolve("big.bin"), content);
        TestPki.writePem(TestPki.server("files"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
        try (TestServer server = TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString())
                .start(app -> app.get("/big", ctx -> Response.file(file, "application/octet-stream").completed()))) {
            TestClient client = server.httpsClient(TestPki.trust());

            assertThat(client.get("/big").bodyBytes()).isEqualTo(content);
            assertThat(client.get("/big").bodyBytes()).isEqualTo(content);
        }
    }

    @Test
    void refusesToStartWhenTheKeyDoesNotBelongToTheCertificate() throws IOException {
        TestPki.write(dir.resolve("tls.crt"), TestPki.chainPem(TestPki.server("one")));
        TestPki.write(dir.resolve("tls.key"), TestPki.server("other").getPrivateKeyPEM());
        TestServer.Builder builder = TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString());

        assertThatThrownBy(() -> builder.start(ROUTES)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.crt").hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void refusesToStartWithACertificateButNoKey() {
        TestServer.Builder builder = TestServer.builder().set("server.tls.certificate", dir.resolve("tls.crt").toString());

        assertThatThrownBy(() -> builder.start(ROUTES)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.tls.private-key is missing");
    }
}
