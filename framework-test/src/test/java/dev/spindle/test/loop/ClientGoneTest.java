package dev.spindle.test.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When the client hangs up, the work behind its request stops instead of running to the deadline. */
class ClientGoneTest {

    private final AtomicReference<CompletableFuture<Response>> pending = new AtomicReference<>();

    @RegisterExtension
    final SpindleExtension server = SpindleExtension.of(app -> app.get("/slow", ctx -> {
        CompletableFuture<Response> slow = new CompletableFuture<>();
        pending.set(slow);
        // The handler's own future is the handler's to cancel: it hears of the disconnect through its request.
        ctx.onCancel(() -> slow.cancel(true));
        return slow;
    }));

    @Test
    void aDisconnectCancelsTheHandlerAndIsRecordedAs499() {
        try (RawHttp raw = server.raw()) {
            raw.send("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n");
            await().until(() -> pending.get() != null);
        }

        await().until(() -> pending.get().isCancelled());
        await().until(() -> server.app().meterRegistry().find("http.server.requests").tag("status", "499")
                .timer() != null);
        assertThat(server.app().meterRegistry().get("spindle.http.requests.active").gauge().value()).isZero();
    }
}
