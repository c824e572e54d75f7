package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.TestServer;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: in-flight requests finish, new ones are refused, readiness goes down first. */
class ShutdownTest {

    private final CompletableFuture<Response> slow = new CompletableFuture<>();
    private final AtomicBoolean slowStarted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(app -> {
            app.get("/slow", ctx -> {
                slowStarted.set(true);
                return slow;
            });
            app.get("/fast", ctx -> Response.text("fast").completed());
            app.closeOnStop(() -> closed.set(true));
        });
    }

    @AfterEach
    void stop() {
        slow.complete(Response.text("released"));
        server.close();
    }

    private CompletableFuture<Void> stopInBackground() {
        return CompletableFuture.runAsync(() -> server.app().stop(Duration.ofSeconds(10)));
    }

    // Regression: a request queued behind the in-flight one was dropped with the connection instead of getting a 503.
    @Test
    void finishesTheInFlightRequestAndRefusesNewOnesOnItsConnectionWith503() throws Exception {
        try (RawHttp raw = server.raw()) {
            raw.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
            await().untilTrue(slowStarted);

            CompletableFuture<Void> stopping = stopInBackground();
            await().until(() -> !server.app().isReady());
            assertThat(stopping).isNotDone();
            slow.complete(Response.text("slow done"));

            RawHttp.Response finished = raw.read();
            assertThat(finished.status()).isEqualTo(200);
            assertThat(finished.body()).isEqualTo("slow done");
            RawHttp.Response refused = raw.read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(refused.header("Retry-After")).isNotNull();
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(raw.isClosedByServer()).isTrue();
            stopping.get(10, TimeUnit.SECONDS);
        }
        assertThat(closed).isTrue();
    }

    // Regression: only the first request queued behind a busy one got its 503 during the drain; the rest got nothing.
    @Test
    void everyRequestQueuedBehindTheInFlightOneGetsItsOwn503() throws Exception {
        try (RawHttp raw = server.raw()) {
            raw.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3));
            await().untilTrue(slowStarted);

            CompletableFuture<Void> stopping = stopInBackground();
            await().until(() -> !server.app().isReady());
            slow.complete(Response.text("slow done"));

            assertThat(raw.read().status()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                RawHttp.Response refused = raw.read();
                assertThat(refused.status()).as("queued request %d", i + 1).isEqualTo(503);
                assertThat(refused.header("Connection")).isEqualTo(i == 2 ? "close" : null);
            }
            assertThat(raw.isClosedByServer()).isTrue();
            stopping.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void stopsAcceptingNewConnectionsWhileDraining() {
        try (RawHttp raw = server.raw()) {
            raw.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            await().untilTrue(slowStarted);

            CompletableFuture<Void> stopping = stopInBackground();

            await().untilAsserted(() -> assertThatThrownBy(() -> RawHttp.connect(server.port()).close())
                    .isInstanceOf(UncheckedIOException.class));
            slow.complete(Response.text("slow done"));
            assertThat(raw.read().body()).isEqualTo("slow done");
            await().until(stopping::isDone);
        }
    }

    @Test
    void readinessTurnsFalseWhileRequestsAreStillDraining() {
        try (RawHttp inFlight = server.raw()) {
            assertThat(server.client().get("/health/ready").status()).isEqualTo(200);
            inFlight.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n");
            await().untilTrue(slowStarted);

            CompletableFuture<Void> stopping = stopInBackground();

            await().until(() -> !server.app().isReady());
            assertThat(stopping).isNotDone();
            slow.complete(Response.text("slow done"));
            assertThat(inFlight.read().status()).isEqualTo(200);
            assertThat(inFlight.read().status()).as("readiness probe queued during the drain").isEqualTo(503);
            await().until(stopping::isDone);
        }
    }

    @Test
    void idleConnectionsAreClosedWhenDrainingStarts() {
        try (RawHttp idle = server.raw()) {
            assertThat(idle.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("fast");

            CompletableFuture<Void> stopping = stopInBackground();

            assertThat(idle.isClosedByServer()).isTrue();
            await().until(stopping::isDone);
        }
    }
}
