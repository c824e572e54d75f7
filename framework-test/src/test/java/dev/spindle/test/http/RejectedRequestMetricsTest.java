package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requests refused before routing carry their real method in metrics when it is known, OTHER when not. */
class RejectedRequestMetricsTest {

    @RegisterExtension
    final SpindleExtension server = SpindleExtension.of(app -> app.get("/", ctx -> Response.text("ok").completed()));

    @Test
    void aRequestWithABadTargetIsCountedWithItsMethod() {
        try (RawHttp raw = server.raw()) {
            raw.send("POST ftp://elsewhere/ HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(400);
        }

        assertThat(server.client().get("/metrics").body())
                .containsPattern("http_server_requests_seconds_count\\{method=\"POST\",[^}]*status=\"400\"");
    }

    @Test
    void anUnparsableRequestLineIsCountedAsOther() {
        try (RawHttp raw = server.raw()) {
            raw.send("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(414);
        }

        assertThat(server.client().get("/metrics").body())
                .containsPattern("http_server_requests_seconds_count\\{method=\"OTHER\",[^}]*status=\"414\"");
    }

    @Test
    void anUnsupportedMethodIsCountedAsOther() {
        try (RawHttp raw = server.raw()) {
            raw.send("TRACE / HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(501);
        }

        assertThat(server.client().get("/metrics").body())
                .containsPattern("http_server_requests_seconds_count\\{method=\"OTHER\",[^}]*status=\"501\"");
    }
}
