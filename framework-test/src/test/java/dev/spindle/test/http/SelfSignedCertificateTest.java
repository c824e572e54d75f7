package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.TestServer;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** {@code server.tls.self-signed=true} serves a generated certificate for localhost, for development. */
class SelfSignedCertificateTest {

    @Test
    void servesAGeneratedCertificateForLocalhostWhenAsked() throws Exception {
        try (TestServer server = TestServer.builder().set("server.tls.self-signed", "true")
                .start(app -> app.get("/hello", ctx -> Response.text("hello over " + ctx.scheme()).completed()))) {
            X509Certificate served = presented(server.port());

            assertThat(served.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
            assertThat(served.getIssuerX500Principal()).isEqualTo(served.getSubjectX500Principal());
            assertThat(served.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
                    .contains("localhost", "127.0.0.1");
            assertThat(server.httpsClient(trusting(served)).get("/hello").body()).isEqualTo("hello over https");
        }
    }

    /** The certificate the server presents, read by a client that trusts anything once. */
    private static X509Certificate presented(int port) throws IOException, GeneralSecurityException {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        X509TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException("server side only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recorder}, null);
        TlsClients.handshake(port, context, new SSLParameters());
        return seen.get();
    }

    private static SSLContext trusting(X509Certificate certificate) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("dev", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void servesCleartextWhenNoCertificateIsConfigured() {
        try (TestServer server = TestServer.start(app -> app.get("/hello",
                ctx -> Response.text("hello over " + ctx.scheme()).completed()))) {
            assertThat(server.client().get("/hello").body()).isEqualTo("hello over http");
            assertThat(server.app().redirectPort()).isEmpty();
        }
    }
}
