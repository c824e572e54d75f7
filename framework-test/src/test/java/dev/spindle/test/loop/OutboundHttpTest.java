package dev.spindle.test.loop;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.OutboundHttp;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OutboundHttpTest {

    private static TestServer upstream;
    private static int closedPort;

    @BeforeAll
    static void startUpstream() throws Exception {
        upstream = TestServer.start(app -> {
            app.get("/quick", ctx -> Response.text("from upstream").completed());
            app.get("/hang", ctx -> new CompletableFuture<>());
        });
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        OutboundHttp client = OutboundHttp.create(Duration.ofSeconds(5));
        OutboundHttp impatient = OutboundHttp.create(Duration.ofMillis(300));
        app.get("/proxy/{path}", ctx -> client.get(ctx, URI.create(upstream.client().base() + "/" + ctx.pathParam("path")))
                .thenApply(reply -> Response.text(reply.body())));
        app.get("/impatient", ctx -> impatient.get(ctx, upstream.client().uri("/hang"))
                .thenApply(reply -> Response.text(reply.body())));
        app.get("/short-deadline", RouteOptions.builder().deadline(Duration.ofMillis(400)).build(),
                ctx -> client.get(ctx, upstream.client().uri("/hang")).thenApply(reply -> Response.text(reply.body())));
        app.get("/unreachable", ctx -> client.get(ctx, URI.create("http://127.0.0.1:" + closedPort + "/"))
                .thenApply(reply -> Response.text(reply.body())));
    });

    @Test
    void relaysAnUpstreamAnswer() {
        assertThat(server.client().get("/proxy/quick")).hasStatus(200).hasBody("from upstream");
    }

    @Test
    void aCallIsBoundedByTheClientsTimeout() {
        assertThat(server.client().get("/impatient")).isProblem(504).hasDetailContaining("300 ms");
    }

    @Test
    void aCallIsBoundedByTheRequestsRemainingDeadlineWhenThatIsSooner() {
        // Either the call times out first (504) or the request's deadline answers (503): never the 5 s timeout.
        assertThat(server.client().get("/short-deadline").status()).isIn(503, 504);
    }

    @Test
    void anUnreachableUpstreamIsABadGateway() {
        assertThat(server.client().get("/unreachable")).isProblem(502);
    }
}
