package dev.spindle.test.http;

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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every request has a deadline: the app's default, or a route's own. */
@ParameterizedClass
@EnumSource(Protocol.class)
class DeadlineTest {

    private static final AtomicReference<CompletableFuture<Response>> stuck = new AtomicReference<>();

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/never", ctx -> {
            CompletableFuture<Response> never = new CompletableFuture<>();
            stuck.set(never);
            ctx.onCancel(() -> never.cancel(true));
            return never;
        });
        app.get("/fast", ctx -> Response.text("fast").completed());
        app.get("/remaining", ctx -> Response.text(Long.toString(ctx.deadline().remaining().toMillis())).completed());
        app.post("/upload", ctx -> Response.text("got " + ctx.body().length).completed());
        app.group("/slow", RouteOptions.builder().deadline(Duration.ofMinutes(5)).build(), slow -> {
            slow.get("/never", ctx -> new CompletableFuture<>());
            slow.get("/remaining", ctx -> Response.text(Long.toString(ctx.deadline().remaining().toMinutes()))
                    .completed());
            slow.get("/short", RouteOptions.builder().deadline(Duration.ofMillis(200)).build(),
                    ctx -> new CompletableFuture<>());
        });
    }).set("http.request-deadline", "400ms");

    @Parameter
    Protocol protocol;

    /** A client over the protocol of this run: each test runs over HTTP/1.1, h2c and h2 (TLS). */
    private TestClient client() {
        return server.client(protocol);
    }

    @Test
    void neverCompletingHandlerGetsOne503AndNothingElse() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("GET /never HTTP/1.1\r\nHost: x\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.body()).contains("400 ms deadline").contains(response.header("X-Request-Id"));
            // The next bytes on the connection must be the answer to the next request, not a second answer.
            RawHttp.Response next = raw.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("fast");
        }
    }

    // The returned stage itself is never cancelled (other callers may share it): the handler hears of the deadline
    // through the request's cancellation, as every framework stage does.
    @Test
    void handlerLearnsThroughOnCancelThatTheDeadlinePassed() {
        stuck.set(null);

        assertThat(client().get("/never")).isProblem(503);

        await().untilAsserted(() -> assertThat(stuck.get()).isCancelled());
    }

    @Test
    void deadlineIsCountedInMetrics() {
        double before = server.server(protocol).app().meterRegistry().get("spindle.http.deadline.exceeded").counter().count();

        assertThat(client().get("/never")).isProblem(503);

        assertThat(server.server(protocol).app().meterRegistry().get("spindle.http.deadline.exceeded").counter().count())
                .isGreaterThan(before);
    }

    @Test
    void routeDeadlineOverridesTheAppDefault() {
        assertThat(client().get("/slow/short")).isProblem(503).hasDetailContaining("200 ms deadline");
        assertThat(client().get("/slow/remaining")).hasBody("4");
        assertThat(client().get("/remaining").body()).satisfies(millis ->
                assertThat(Long.parseLong(millis)).isBetween(0L, 400L));
    }

    @Test
    void bodyStillArrivingAtTheDeadlineIsA408AndCloses() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345")
                    .read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).contains("did not arrive");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }
}
