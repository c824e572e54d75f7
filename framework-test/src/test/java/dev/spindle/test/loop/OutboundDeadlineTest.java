package dev.spindle.test.loop;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Deadline;
import dev.spindle.http.OutboundHttp;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which timer answers a hanging upstream: the outbound call's own bound (504 naming the upstream),
 * not the request's deadline (503). The request deadlines here are far longer than the outbound
 * bounds, so a 504 can only come from the outbound side.
 */
class OutboundDeadlineTest {

    private static final RouteOptions PATIENT_REQUEST = RouteOptions.builder().deadline(Duration.ofSeconds(30)).build();

    private static TestServer upstream;

    @BeforeAll
    static void startUpstream() {
        upstream = TestServer.start(app -> app.get("/hang", ctx -> new CompletableFuture<>()));
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        OutboundHttp quick = OutboundHttp.create(Duration.ofMillis(300));
        OutboundHttp slow = OutboundHttp.create(Duration.ofSeconds(30));
        app.get("/client-timeout", PATIENT_REQUEST, ctx -> quick.get(ctx, hang())
                .thenApply(reply -> Response.text(reply.body())));
        app.get("/outbound-deadline", PATIENT_REQUEST, ctx -> slow.send(HttpRequest.newBuilder(hang()).GET(),
                        HttpResponse.BodyHandlers.ofString(), Deadline.in(Duration.ofMillis(300)), ctx.executor())
                .thenApply(reply -> Response.text(reply.body())));
        app.get("/capped", RouteOptions.builder().deadline(Duration.ofMillis(2500)).build(),
                ctx -> slow.get(ctx, hang()).thenApply(reply -> Response.text(reply.body())));
    });

    private static URI hang() {
        return upstream.client().uri("/hang");
    }

    @Test
    void theClientsTimeoutAnswers504NamingTheUpstreamLongBeforeTheRequestDeadline() {
        assertThat(server.client().get("/client-timeout")).isProblem(504)
                .hasDetailContaining("The upstream http://127.0.0.1:" + upstream.port())
                .hasDetailContaining("did not answer within 300 ms");
    }

    @Test
    void anOutboundDeadlineSoonerThanTheClientsTimeoutBoundsTheCallAndAnswers504() {
        // The call's bound comes from its deadline (about 300 ms), not the client's 30 s nor the request's 30 s.
        TestResponse response = server.client().get("/outbound-deadline");

        assertThat(response).isProblem(504).hasDetailContaining("The upstream http://127.0.0.1:" + upstream.port());
        assertThat(response.problem().detail()).matches(".*did not answer within (2\\d\\d|300) ms");
    }

    // Regression: the cap was exactly the time left, so the outbound timer and the request's deadline fired together
    // and the request's generic 503 won every time (8 of 8 runs); the call now keeps a margin (Deadline.callTimeout),
    // 250 ms at this deadline, which a busy loop does not eat.
    @Test
    void anOutboundCallCappedByTheRequestsRemainingDeadlineAnswers504NotTheRequests503() {
        assertThat(server.client().get("/capped")).isProblem(504)
                .hasDetailContaining("The upstream http://127.0.0.1:" + upstream.port());
    }
}
