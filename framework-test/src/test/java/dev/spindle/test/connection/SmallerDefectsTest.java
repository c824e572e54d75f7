package dev.spindle.test.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The smaller defects of issue 8: huge limits and durations, a broad exception mapper under overload. */
class SmallerDefectsTest {

    private static final AtomicReference<CountDownLatch> release = new AtomicReference<>(new CountDownLatch(1));
    private static final AtomicInteger started = new AtomicInteger();

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.exception(RuntimeException.class, (failure, ctx) -> Response.problem(Problem.of(500, "mapped")));
        app.get("/forever", RouteOptions.builder().deadline(Duration.ofDays(365L * 1000)).build(),
                ctx -> ctx.delay(Duration.ofMillis(5)).thenApply(done -> Response.text("in time")));
        app.post("/huge-limit", RouteOptions.builder().maxBodySize(3L << 30).build(),
                ctx -> Response.text("got " + ctx.body().length).completed());
        app.get("/busy", ctx -> ctx.offload(() -> {
            started.incrementAndGet();
            release.get().await(30, TimeUnit.SECONDS);
            return "done";
        }).thenApply(Response::text));
    }).set("offload.threads", "1").set("offload.queue", "1");

    @BeforeEach
    void newLatch() {
        release.set(new CountDownLatch(1));
        started.set(0);
    }

    @AfterEach
    void releaseWorkers() {
        release.get().countDown();
    }

    // Regression: a deadline too long for nanoseconds overflowed into one already past: every request got an instant 503.
    @Test
    void aHugeRouteDeadlineIsNoDeadlineRatherThanAnInstant503() {
        assertThat(server.client().get("/forever").body()).isEqualTo("in time");
    }

    // Regression: an aggregating route with a limit past 1 GiB sized its buffer past the largest array.
    @Test
    void anAggregatingRouteWithALimitPastTheLargestArrayStillReadsBodies() {
        TestResponse response = server.client().post("/huge-limit", "twelve bytes");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("got 12");
    }

    // Regression: a user mapper for RuntimeException caught the offload pool's OverloadException and turned 503s into 500s.
    @Test
    void aBroadRuntimeExceptionMapperDoesNotTurnOverloadIntoA500() {
        CompletableFuture<TestResponse> running = server.client().getAsync("/busy");
        await().until(() -> started.get() == 1);
        CompletableFuture<TestResponse> queued = server.client().getAsync("/busy");
        await().until(() -> server.app().offloadPool().queued() == 1);

        TestResponse refused = server.client().get("/busy");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isPresent();
        release.get().countDown();
        assertThat(running.orTimeout(30, TimeUnit.SECONDS).join().status()).isEqualTo(200);
        assertThat(queued.orTimeout(30, TimeUnit.SECONDS).join().status()).isEqualTo(200);
    }
}
