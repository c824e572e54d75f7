package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Regression: a partial request that arrived while another was in flight used to wait for the
 * idle timeout and be closed without an answer, instead of getting 408 at the header timeout.
 */
class SlowRequestBehindAnotherTest {

    private final CompletableFuture<Response> first = new CompletableFuture<>();

    @RegisterExtension
    final SpindleExtension server = SpindleExtension.of(app -> app.get("/first", ctx -> first))
            .set("http.header-read-timeout", "300ms")
            .set("http.idle-timeout", "30s");

    @Test
    void aPartialRequestQueuedBehindAnInFlightOneGets408AtTheHeaderTimeout() {
        try (RawHttp raw = server.raw()) {
            raw.send("GET /first HTTP/1.1\r\nHost: test\r\n\r\n");
            await().until(() -> server.app().meterRegistry().get("spindle.http.requests.active").gauge().value() == 1);
            raw.send("GET /second HTTP/1.1\r\nHost: te");
            await().until(() -> server.app().meterRegistry().get("spindle.http.requests.active").gauge().value() == 1);

            first.complete(Response.text("first"));

            assertThat(raw.read().body()).isEqualTo("first");
            RawHttp.Response late = raw.read();
            assertThat(late.status()).isEqualTo(408);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }
}
