package dev.spindle.test.loop;

import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.Parameter;
import dev.spindle.test.TestClient;
import dev.spindle.test.Protocol;
import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@ParameterizedClass
@EnumSource(Protocol.class)
class RequestDeadlineTest {

    private final AtomicReference<CompletableFuture<Response>> pending = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean interrupted = new AtomicBoolean();

    @RegisterExtension
    final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/never", RouteOptions.builder().deadline(Duration.ofMillis(200)).build(), ctx -> {
            CompletableFuture<Response> never = new CompletableFuture<>();
            pending.set(never);
            ctx.onCancel(() -> never.cancel(true));
            return never;
        });
        app.get("/late", RouteOptions.builder().deadline(Duration.ofMillis(200)).build(), ctx -> {
            CompletableFuture<Response> late = new CompletableFuture<>();
            pending.set(late);
            // A stage the framework cannot cancel: its result arrives after the answer.
            return late.minimalCompletionStage();
        });
        app.get("/stuck-work", RouteOptions.builder().deadline(Duration.ofMillis(200)).interruptOnDeadline(true)
                .build(), ctx -> ctx.offload(() -> {
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                    return "done";
                }).thenApply(Response::text));
        app.get("/fine", ctx -> Response.text("fine").completed());
    });

    @Parameter
    Protocol protocol;

    /** A client over the protocol of this run: each test runs over HTTP/1.1, h2c and h2 (TLS). */
    private TestClient client() {
        return server.client(protocol);
    }

    @AfterEach
    void releaseWorkers() {
        release.countDown();
    }

    @Test
    void aHandlerThatNeverCompletesGetsOne503AtItsDeadlineAndIsCancelled() {
        try (RawHttp raw = server.raw()) {
            raw.send("GET /never HTTP/1.1\r\nHost: test\r\n\r\n");
            RawHttp.Response timedOut = raw.read();

            assertThat(timedOut.status()).isEqualTo(503);
            assertThat(timedOut.body()).contains("did not complete within its 200 ms deadline");
            await().until(() -> pending.get().isCancelled());
            // The connection stays usable and carries nothing else: the next answer is the next request's.
            raw.send("GET /fine HTTP/1.1\r\nHost: test\r\n\r\n");
            RawHttp.Response next = raw.read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("fine");
        }
    }

    @Test
    void aResultArrivingAfterTheDeadlineIsCountedAndDropped() {
        assertThat(client().get("/late")).isProblem(503);

        pending.get().complete(Response.text("too late"));

        await().until(() -> server.server(protocol).app().meterRegistry().get("spindle.http.requests.late").counter().count() == 1);
        assertThat(client().get("/fine")).hasStatus(200).hasBody("fine");
        assertThat(server.server(protocol).app().meterRegistry().get("spindle.http.deadline.exceeded").counter().count())
                .isEqualTo(1);
    }

    @Test
    void offloadedWorkStillRunningAtTheDeadlineIsInterruptedWhenTheRouteAllowsIt() {
        assertThat(client().get("/stuck-work")).isProblem(503);

        await().untilTrue(interrupted);
    }
}
