package dev.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class WorkerPoolTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerPool pool = WorkerPool.create("offload", 1, 2, registry);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Executor direct = Runnable::run;

    @AfterEach
    void stop() {
        release.countDown();
        pool.close();
    }

    private CompletionStage<String> occupyTheWorker(CountDownLatch started) {
        return pool.submit(() -> {
            started.countDown();
            release.await(10, TimeUnit.SECONDS);
            return "blocker";
        }, direct, Deadline.none(), false);
    }

    @Test
    void refusesAtOnceWhenTheQueueIsFull() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        occupyTheWorker(started);
        started.await(5, TimeUnit.SECONDS);
        pool.submit(() -> 1, direct, Deadline.none(), false);
        pool.submit(() -> 2, direct, Deadline.none(), false);

        CompletionStage<Integer> refused = pool.submit(() -> 3, direct, Deadline.none(), false);

        assertThat(refused.toCompletableFuture()).isCompletedExceptionally();
        assertThat(reason(refused)).isEqualTo(OverloadException.Reason.QUEUE_FULL);
        assertThat(registry.get("spindle.offload.rejected").tag("reason", "queue_full").counter().count()).isEqualTo(1);
    }

    @Test
    void dropsATaskWhoseDeadlinePassedWhileQueued() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        occupyTheWorker(started);
        started.await(5, TimeUnit.SECONDS);
        AtomicInteger ran = new AtomicInteger();
        Deadline soon = Deadline.in(Duration.ofMillis(50));

        CompletionStage<Integer> queued = pool.submit(ran::incrementAndGet, direct, soon, false);
        await().until(soon::isExpired);
        release.countDown();

        await().until(() -> queued.toCompletableFuture().isDone());
        assertThat(reason(queued)).isEqualTo(OverloadException.Reason.EXPIRED_IN_QUEUE);
        assertThat(ran).hasValue(0);
        assertThat(registry.get("spindle.offload.rejected").tag("reason", "expired_in_queue").counter().count())
                .isEqualTo(1);
    }

    @Test
    void refusesWorkWhoseDeadlineHasPassed() {
        CompletionStage<Integer> refused = pool.submit(() -> 1, direct, Deadline.in(Duration.ZERO), false);

        assertThat(reason(refused)).isEqualTo(OverloadException.Reason.DEADLINE);
    }

    @Test
    void cancellingAQueuedTaskDropsItAndFreesItsSlot() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        occupyTheWorker(started);
        started.await(5, TimeUnit.SECONDS);
        AtomicInteger ran = new AtomicInteger();
        CompletionStage<Integer> queued = pool.submit(ran::incrementAndGet, direct, Deadline.none(), false);

        queued.toCompletableFuture().cancel(true);

        assertThat(pool.queued()).isZero();
        release.countDown();
        CompletionStage<String> after = pool.submit(() -> "after", direct, Deadline.none(), false);
        assertThat(after.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("after");
        assertThat(ran).hasValue(0);
    }

    @Test
    void interruptsRunningWorkOnCancelOnlyWhenAllowed() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CompletionStage<Void> running = pool.submit(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return null;
        }, direct, Deadline.none(), true);
        started.await(5, TimeUnit.SECONDS);

        running.toCompletableFuture().cancel(true);

        await().untilTrue(interrupted);
    }

    @Test
    void completesOnTheGivenExecutorWithTheSubmittersMdc() throws Exception {
        AtomicReference<String> resumedOn = new AtomicReference<>();
        Executor loop = task -> {
            Thread thread = new Thread(task, "fake-loop");
            thread.start();
        };
        CountDownLatch go = new CountDownLatch(1);
        MDC.put("requestId", "abc123");
        CompletionStage<String> seen;
        try {
            seen = pool.submit(() -> {
                go.await(5, TimeUnit.SECONDS);
                return MDC.get("requestId");
            }, loop, Deadline.none(), false);
        } finally {
            MDC.remove("requestId");
        }
        CompletableFuture<String> resumed = seen.toCompletableFuture().thenApply(value -> {
            resumedOn.set(Thread.currentThread().getName());
            return value;
        });
        go.countDown();

        assertThat(resumed.get(5, TimeUnit.SECONDS)).isEqualTo("abc123");
        assertThat(resumedOn).hasValue("fake-loop");
    }

    private static OverloadException.Reason reason(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().join();
            throw new AssertionError("expected a refusal");
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(OverloadException.class);
            return ((OverloadException) e.getCause()).reason();
        }
    }
}
