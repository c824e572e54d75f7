package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.test.TestServer;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** With TLS terminated by Spindle itself, the session cookie is Secure without any proxy header. */
class SessionCookieOverHttpsTest {

    @Test
    void marksTheSessionCookieSecureOnRequestsThatArriveOverHttps() throws Exception {
        // The development certificate is not what this test is about: the client accepts it as is.
        SSLContext anyCertificate = SSLContext.getInstance("TLS");
        anyCertificate.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        try (TestServer server = TestServer.builder().set("server.tls.self-signed", "true")
                .start(app -> SessionRoutes.install(app, store -> { }))) {

            String setCookie = server.httpsClient(anyCertificate).post("/s/put/a/1", "").header("Set-Cookie").orElseThrow();

            assertThat(setCookie).contains("; Secure");
        }
    }
}
