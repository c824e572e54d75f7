package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.spindle.http.Response;
import dev.spindle.test.TestServer;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Failed handshakes are counted by reason, whichever engine words them, and never logged one line each at WARN. */
@ParameterizedClass(name = "{0} engine")
@ValueSource(strings = {"openssl", "jdk"})
class HandshakeFailureTest {

    @TempDir
    static Path dir;
    private static TestServer server;

    @Parameter
    String engine;

    @BeforeParameterizedClassInvocation
    static void start(String engine) throws IOException {
        TestPki.writePem(TestPki.server("handshakes"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
        server = TestServer.builder()
                .set("server.tls.certificate", dir.resolve("tls.crt").toString())
                .set("server.tls.private-key", dir.resolve("tls.key").toString())
                .set("server.tls.engine", engine)
                .start(app -> app.get("/hello", ctx -> Response.text("hello").completed()));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    private static double failures(String reason) {
        Counter counter = server.app().meterRegistry().find("spindle.tls.handshake.failures").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void awaitFailures(String reason, double expected) {
        await().untilAsserted(() -> assertThat(failures(reason)).isEqualTo(expected));
    }

    @Test
    void countsPlaintextHttpSentToTheHttpsPortAsNotTls() throws IOException {
        double before = failures("not_tls");

        TlsClients.exchange(server.port(), "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        awaitFailures("not_tls", before + 1);
    }

    @Test
    void countsAClientOfferingOnlyTls11AsProtocolVersion() throws IOException {
        double before = failures("protocol_version");

        byte[] answer = TlsClients.helloTls11(server.port());

        assertThat(answer).isNotEmpty().startsWith(0x15); // a TLS alert record
        awaitFailures("protocol_version", before + 1);
    }

    @Test
    void countsAClientWithoutAModernCipherSuiteAsNoSharedCipher() {
        double before = failures("no_shared_cipher");
        SSLParameters legacy = new SSLParameters(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
                new String[] {"TLSv1.2"});

        assertThatThrownBy(() -> TlsClients.handshake(server.port(), TestPki.trust(), legacy))
                .isInstanceOf(SSLException.class);

        awaitFailures("no_shared_cipher", before + 1);
    }

    @Test
    void countsAClientThatDoesNotTrustTheCertificateAsCertificateRejected() throws NoSuchAlgorithmException {
        double before = failures("certificate_rejected");

        assertThatThrownBy(() -> TlsClients.handshake(server.port(), SSLContext.getDefault(), new SSLParameters()))
                .isInstanceOf(SSLException.class);

        awaitFailures("certificate_rejected", before + 1);
    }

    @Test
    void countsAConnectionClosedBeforeItsHandshakeAsClosed() throws IOException {
        double before = failures("closed");

        new Socket("127.0.0.1", server.port()).close();

        awaitFailures("closed", before + 1);
    }

    @Test
    void logsNoWarningWhenHandshakesFail() throws IOException {
        try (LogCapture http = LogCapture.of("dev.spindle.http"); LogCapture netty = LogCapture.of("io.netty")) {
            double before = failures("not_tls");
            for (int i = 0; i < 20; i++) {
                TlsClients.exchange(server.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                TlsClients.helloTls11(server.port());
            }
            awaitFailures("not_tls", before + 20);

            assertThat(http.events()).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
            assertThat(netty.events()).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
        }
    }

    @Test
    void countsSuccessfulHandshakesByProtocol() {
        Counter tls13 = server.app().meterRegistry().find("spindle.tls.handshakes").tag("protocol", "TLSv1.3").counter();
        double before = tls13.count();

        assertThat(server.httpsClient(TestPki.trust()).get("/hello").body()).isEqualTo("hello");

        await().untilAsserted(() -> assertThat(tls13.count()).isEqualTo(before + 1));
    }
}
