package dev.spindle.test.middleware;

import static dev.spindle.test.SpindleAssertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import dev.spindle.test.TestServer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TrustedProxiesHttpTest {

    private static final Consumer<Spindle> WHO = app -> app.get("/who", ctx ->
            Response.text(ctx.clientAddress().getHostAddress() + " " + ctx.scheme()).completed());

    @Test
    void aTrustedProxyNamesTheClient() {
        try (TestServer server = TestServer.builder().set("http.trusted-proxies", "loopback").start(WHO)) {
            assertThat(server.client().get("/who", "X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "https"))
                    .hasBody("198.51.100.7 https");
            assertThat(server.client().get("/who", "Forwarded", "for=\"[2001:db8::7]\";proto=https"))
                    .hasBody("2001:db8:0:0:0:0:0:7 https");
        }
    }

    @Test
    void withoutTrustedProxiesForwardedHeadersAreIgnored() {
        try (TestServer server = TestServer.start(WHO)) {
            assertThat(server.client().get("/who", "X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "https"))
                    .hasBody("127.0.0.1 http");
        }
    }
}
