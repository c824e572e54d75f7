package dev.spindle.test.loop;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The blocking pool is bounded like the offload pool, and a saturated pool leaves metrics answering. */
class BlockingPoolBoundTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger started = new AtomicInteger();

    @RegisterExtension
    final SpindleExtension server = SpindleExtension.of(app -> app.get("/hold", ctx -> ctx.blocking(() -> {
        started.incrementAndGet();
        release.await(20, TimeUnit.SECONDS);
        return "held";
    }).thenApply(Response::text))).set("blocking.threads", "1").set("blocking.queue", "1");

    @AfterEach
    void releaseWorkers() {
        release.countDown();
    }

    @Test
    void shedsWith503AndRetryAfterWhenTheBlockingQueueIsFull() {
        List<CompletableFuture<TestResponse>> holders = saturate();

        TestResponse refused = server.client().get("/hold");

        assertThat(refused).isProblem(503).hasHeader("Retry-After", "1").hasDetailContaining("queue is full");
        release.countDown();
        holders.forEach(holder -> assertThat(holder.join()).hasStatus(200).hasBody("held"));
    }

    // /metrics ran on the blocking pool: exactly when the pool was saturated, the scrape got a 503.
    @Test
    void metricsAnswerWhileTheBlockingPoolIsSaturated() {
        List<CompletableFuture<TestResponse>> holders = saturate();

        TestResponse metrics = server.client().get("/metrics");

        assertThat(metrics).hasStatus(200);
        assertThat(metrics.body()).contains("spindle_offload_queue_size{pool=\"blocking\"} 1.0")
                .contains("spindle_offload_active{pool=\"blocking\"} 1.0");
        release.countDown();
        holders.forEach(holder -> assertThat(holder.join()).hasStatus(200));
    }

    /** One task holds the only worker and one waits in the one-slot queue. */
    private List<CompletableFuture<TestResponse>> saturate() {
        List<CompletableFuture<TestResponse>> holders = new ArrayList<>();
        holders.add(server.client().getAsync("/hold"));
        await().until(() -> started.get() == 1);
        holders.add(server.client().getAsync("/hold"));
        await().until(() -> server.app().blockingPool().queued() == 1);
        return holders;
    }
}
