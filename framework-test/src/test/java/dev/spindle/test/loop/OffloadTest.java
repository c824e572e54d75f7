package dev.spindle.test.loop;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

class OffloadTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger queuedTaskRuns = new AtomicInteger();

    @RegisterExtension
    final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/hold", ctx -> ctx.offload(() -> {
            started.incrementAndGet();
            release.await(20, TimeUnit.SECONDS);
            return "held";
        }).thenApply(Response::text));
        app.get("/cheap", ctx -> Response.text("cheap").completed());
        app.get("/queued", RouteOptions.builder().deadline(Duration.ofMillis(300)).build(),
                ctx -> ctx.offload(queuedTaskRuns::incrementAndGet).thenApply(n -> Response.text("ran " + n)));
        app.get("/where", ctx -> {
            String handlerThread = Thread.currentThread().getName();
            return ctx.offload(() -> MDC.get("requestId")).thenApply(mdc -> Response.json(List.of(
                    handlerThread, Thread.currentThread().getName(), mdc, ctx.requestId())));
        });
    }).set("offload.threads", "1").set("offload.queue", "2");

    @AfterEach
    void releaseWorkers() {
        release.countDown();
    }

    @Test
    void aCheapRouteKeepsAnsweringWhileOffloadedWorkSaturatesThePool() {
        List<CompletableFuture<TestResponse>> holders = hold(3);

        assertThat(server.client().get("/cheap")).hasStatus(200).hasBody("cheap");
        assertThat(server.client().get("/cheap")).hasStatus(200).hasBody("cheap");

        release.countDown();
        holders.forEach(holder -> assertThat(holder.join()).hasStatus(200).hasBody("held"));
    }

    @Test
    void shedsWith503AndRetryAfterWhenTheOffloadQueueIsFull() {
        List<CompletableFuture<TestResponse>> holders = hold(3);

        TestResponse refused = server.client().get("/hold");

        assertThat(refused).isProblem(503).hasHeader("Retry-After", "1").hasDetailContaining("queue is full");
        release.countDown();
        holders.forEach(holder -> assertThat(holder.join()).hasStatus(200));
    }

    @Test
    void workWhoseDeadlinePassesInTheQueueNeverRunsAndTheClientGets503() {
        List<CompletableFuture<TestResponse>> holders = hold(1);

        TestResponse late = server.client().get("/queued");

        assertThat(late).isProblem(503).hasDetailContaining("deadline");
        release.countDown();
        holders.forEach(holder -> assertThat(holder.join()).hasStatus(200));
        // The worker is free again: a fresh request runs, and the dropped task never did.
        assertThat(server.client().get("/queued")).hasStatus(200).hasBody("ran 1");
        assertThat(queuedTaskRuns).hasValue(1);
    }

    @Test
    void offloadedWorkSeesTheRequestIdAndResumesOnTheRequestsLoop() {
        TestResponse response = server.client().get("/where", "X-Request-Id", "trace-42");

        List<?> seen = response.json(List.class);
        assertThat(seen.get(0).toString()).startsWith("spindle-loop");
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
        assertThat(seen.get(2)).isEqualTo("trace-42");
        assertThat(seen.get(3)).isEqualTo("trace-42");
    }

    /** Starts {@code count} requests whose offloaded tasks block: the first holds the only worker. */
    private List<CompletableFuture<TestResponse>> hold(int count) {
        List<CompletableFuture<TestResponse>> holders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            holders.add(server.client().getAsync("/hold"));
            if (i == 0) {
                await().until(() -> started.get() == 1);
            }
        }
        await().until(() -> server.app().offloadPool().queued() == count - 1);
        return holders;
    }
}
