package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pipelining, keep-alive and connection closing over real sockets. */
class ConnectionTest {

    private static final AtomicReference<CompletableFuture<Response>> gate = new AtomicReference<>();
    private static final AtomicBoolean gateReached = new AtomicBoolean();

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/text/{value}", ctx -> Response.text(ctx.pathParam("value")).completed());
        app.get("/gate", ctx -> {
            gateReached.set(true);
            return gate.get();
        });
        app.post("/echo", ctx -> Response.text("echo " + ctx.bodyText()).completed());
        app.get("/later/{value}", ctx -> ctx.delay(Duration.ofMillis(1))
                .thenApply(done -> Response.text(ctx.pathParam("value"))));
        app.get("/port", ctx -> Response.text(Integer.toString(ctx.remoteAddress().getPort())).completed());
    });

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        gate.set(new CompletableFuture<>());
        gateReached.set(false);
        try (RawHttp raw = server.raw()) {
            raw.send("GET /gate HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /text/second HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nthird"
                    + "GET /text/fourth HTTP/1.1\r\nHost: x\r\n\r\n");
            await().untilTrue(gateReached);
            gate.get().complete(Response.text("first"));

            assertThat(raw.read().body()).isEqualTo("first");
            assertThat(raw.read().body()).isEqualTo("second");
            assertThat(raw.read().body()).isEqualTo("echo third");
            assertThat(raw.read().body()).isEqualTo("fourth");
        }
    }

    @Test
    void manyPipelinedRequestsInOneWriteAreAllAnswered() {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            requests.append("GET /text/r").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        try (RawHttp raw = server.raw()) {
            raw.send(requests.toString());

            for (int i = 0; i < 50; i++) {
                assertThat(raw.read().body()).isEqualTo("r" + i);
            }
        }
    }

    @Test
    void manyPipelinedRequestsToAnAsynchronousHandlerAreAllAnsweredInOrder() {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            requests.append("GET /later/r").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        try (RawHttp raw = server.raw()) {
            raw.send(requests.toString());

            for (int i = 0; i < 40; i++) {
                assertThat(raw.read().body()).isEqualTo("r" + i);
            }
        }
    }

    @Test
    void keepAliveConnectionServesSequentialRequests() {
        try (RawHttp raw = server.raw()) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response response = raw.send("GET /text/n" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").read();

                assertThat(response.body()).isEqualTo("n" + i);
                assertThat(response.header("Connection")).isNull();
            }
        }
    }

    @Test
    void clientReusesTheKeptAliveConnection() {
        TestResponse first = server.client().get("/port");
        TestResponse second = server.client().get("/port");

        assertThat(second.body()).isEqualTo(first.body());
    }

    @Test
    void connectionCloseIsHonoured() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response =
                    raw.send("GET /text/bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();

            assertThat(response.body()).isEqualTo("bye");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void http10WithoutKeepAliveCloses() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("GET /text/old HTTP/1.0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("old");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void http10WithKeepAliveStaysOpen() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response first = raw.send("GET /text/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            RawHttp.Response second = raw.send("GET /text/b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();

            assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(second.body()).isEqualTo("b");
        }
    }

    @Test
    void requestsAfterConnectionCloseAreNotAnswered() {
        try (RawHttp raw = server.raw()) {
            raw.send("GET /text/last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    + "GET /text/never HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(raw.read().body()).isEqualTo("last");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }
}
