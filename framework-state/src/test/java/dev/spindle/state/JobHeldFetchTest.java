package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.state.jobs.JobInfo;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.JobState;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.Worker;
import dev.spindle.state.jobs.WorkerOptions;
import dev.spindle.state.jobs.internal.DefaultJobs;
import dev.spindle.state.jobs.internal.JobStore;
import dev.spindle.state.jobs.internal.MemoryJobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker whose fetch answer is still on its way while the store has leased jobs the worker has
 * not heard of yet: when it stops meanwhile, and when the answer comes after most of the lease. The
 * in-memory store answers at once, so a proxy holds its fetch answers back to open that window.
 */
class JobHeldFetchTest {

    private final ManualClock clock = new ManualClock();
    private final ForkJoinPool pool = new ForkJoinPool(4);
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private volatile boolean holding;
    private final JobStore store = holdingFetches(new MemoryJobStore());
    private final Jobs jobs = new DefaultJobs(store, Broadcaster.inMemory(() -> pool), new SimpleMeterRegistry(), pool,
            clock, Duration.ofSeconds(5));

    @AfterEach
    void close() throws Exception {
        holding = false;
        held.forEach(Runnable::run);
        jobs.shutdown(Duration.ZERO).toCompletableFuture().get(10, TimeUnit.SECONDS);
        pool.shutdownNow();
    }

    /** {@code delegate}, whose fetch answers wait in {@link #held} while {@link #holding} is set. */
    private JobStore holdingFetches(JobStore delegate) {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[] {JobStore.class},
                (proxy, method, args) -> {
                    Object answer;
                    try {
                        answer = method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!holding || !method.getName().equals("fetch")) {
                        return answer;
                    }
                    CompletableFuture<Object> later = new CompletableFuture<>();
                    held.add(() -> ((CompletionStage<?>) answer).whenComplete((value, failure) -> {
                        if (failure != null) {
                            later.completeExceptionally(failure);
                        } else {
                            later.complete(value);
                        }
                    }));
                    return later;
                });
    }

    // The jobs such a fetch leased started on the stopped worker (or, had the process exited, stayed
    // leased until their lease expired). They go back to waiting at once instead, untried.
    @Test
    void jobsLeasedByAFetchInFlightAtShutdownAreReleasedNotRun() throws Exception {
        JobQueue<String> queue = jobs.queue("stopping", String.class);
        String id = queue.add("late").toCompletableFuture().get(10, TimeUnit.SECONDS);
        holding = true;
        AtomicInteger calls = new AtomicInteger();
        Worker worker = jobs.worker(queue, job -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }, WorkerOptions.concurrency(2).executor(pool));
        await().atMost(Duration.ofSeconds(30)).until(() -> !held.isEmpty());

        CompletableFuture<Void> stopped = worker.shutdown(Duration.ofSeconds(5)).toCompletableFuture();
        assertThat(stopped).as("a fetch is still on its way").isNotDone();
        holding = false;
        held.forEach(Runnable::run);
        stopped.get(10, TimeUnit.SECONDS);

        assertThat(calls).hasValue(0);
        JobInfo info = queue.info(id).toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(info.state()).isEqualTo(JobState.WAITING);
        assertThat(info.attemptsMade()).isZero();
    }

    // A fetch answered after its lease had lapsed (a reply held up, a command re-sent after a reconnect)
    // started the job anyway, while any other worker could reap and run it too. It is released untried
    // and leased afresh instead.
    @Test
    void aJobLeasedByAnAnswerThatCameAfterTheLeaseIsLeasedAfreshBeforeItRuns() throws Exception {
        JobQueue<String> queue = jobs.queue("late", String.class);
        String id = queue.add("late").toCompletableFuture().get(10, TimeUnit.SECONDS);
        holding = true;
        List<Long> tokens = new CopyOnWriteArrayList<>();
        jobs.worker(queue, job -> {
            tokens.add(job.fencingToken());
            return CompletableFuture.completedFuture(null);
        }, WorkerOptions.concurrency(1).executor(pool).lease(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !held.isEmpty());

        clock.advance(Duration.ofSeconds(31)); // the held lease has expired by the time its answer comes
        holding = false;
        held.forEach(Runnable::run);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.state(id).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).orElseThrow() == JobState.COMPLETED);
        assertThat(tokens).as("run once, under a second lease").containsExactly(2L);
        JobInfo info = queue.info(id).toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(info.attemptsMade()).isEqualTo(1);
    }
}
