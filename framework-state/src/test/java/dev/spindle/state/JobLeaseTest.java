package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.state.jobs.Job;
import dev.spindle.state.jobs.JobCancelledException;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.JobState;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.WorkerOptions;
import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leases on the real clock against a Redis process of this class's own: renewal is never starved
 * by a handler that computes, and a worker cut off from Redis stops its jobs before their leases
 * can expire (self-fencing).
 */
class JobLeaseTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.ownServer(false);

    private final ForkJoinPool pool = new ForkJoinPool(8);
    private RedisConnection connection;
    private Broadcaster broadcaster;
    private Jobs jobs;

    private Jobs jobs() {
        connection = Fixtures.connect(redis.url());
        await().atMost(Duration.ofSeconds(30)).until(connection::isConnected);
        broadcaster = Broadcaster.redis(connection, BroadcastOptions.defaults(), () -> pool, new SimpleMeterRegistry());
        jobs = Jobs.builder().redis(connection).broadcaster(broadcaster).executor(pool).build();
        return jobs;
    }

    @AfterEach
    void close() throws Exception {
        redis.server().orElseThrow().resume();
        if (jobs != null) {
            jobs.shutdown(Duration.ZERO).toCompletableFuture().get(30, TimeUnit.SECONDS);
            jobs.close();
        }
        if (broadcaster != null) {
            broadcaster.close();
        }
        if (connection != null) {
            connection.close();
        }
        pool.shutdownNow();
    }

    // BullMQ's best-known failure: a CPU-bound processor blocks the thread that renews its lock, the job
    // stalls and runs twice. Here renewal runs on a timer and the store's threads, never the handler's.
    @Test
    void aCpuBoundHandlerOfTwiceTheLeaseKeepsItsLease() {
        Jobs jobs = jobs();
        JobQueue<String> queue = jobs.queue("cpu", String.class);
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Duration lease = Duration.ofSeconds(2);
        jobs.worker(queue, job -> {
            attempts.add(job.attempt());
            long until = System.nanoTime() + lease.multipliedBy(2).toNanos();
            long spin = 0;
            while (System.nanoTime() < until) {
                spin += Long.numberOfTrailingZeros(spin + 1); // computing, never yielding
            }
            return CompletableFuture.completedFuture(spin >= 0 && job.stillOwned());
        }, WorkerOptions.concurrency(1).lease(lease).executor(pool).pollInterval(Duration.ofMillis(200)));
        String id = queue.add("crunch").toCompletableFuture().join();

        await().atMost(Duration.ofSeconds(60)).until(() -> state(queue, id) == JobState.COMPLETED);
        var info = queue.info(id).toCompletableFuture().join().orElseThrow();
        assertThat(info.result()).as("the handler still owned the job when done").contains("true");
        assertThat(info.stalls()).isZero();
        assertThat(info.attemptsMade()).isEqualTo(1);
        assertThat(attempts).containsExactly(1);
    }

    @Test
    void aWorkerCutOffFromRedisCancelsItsJobsBeforeTheirLeasesExpire() {
        Jobs jobs = jobs();
        JobQueue<String> queue = jobs.queue("fenced", String.class);
        Duration lease = Duration.ofSeconds(2);
        CompletableFuture<Job<String>> first = new CompletableFuture<>();
        CompletableFuture<Throwable> cancelled = new CompletableFuture<>();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        jobs.worker(queue, job -> {
            attempts.add(job.attempt());
            if (job.attempt() > 1) {
                return CompletableFuture.completedFuture("second attempt");
            }
            first.complete(job);
            CompletableFuture<Object> work = new CompletableFuture<>();
            job.cancellation().whenComplete((ok, why) -> {
                cancelled.complete(why instanceof CompletionException ? why.getCause() : why);
                work.completeExceptionally(why);
            });
            return work;
        }, WorkerOptions.concurrency(2).lease(lease).executor(pool).pollInterval(Duration.ofMillis(200)));
        String id = queue.add("long").toCompletableFuture().join();
        Job<String> job = first.orTimeout(30, TimeUnit.SECONDS).join();

        redis.server().orElseThrow().pause();
        long pausedAt = System.nanoTime();
        Throwable why = cancelled.orTimeout(30, TimeUnit.SECONDS).join();
        long cancelledAfter = System.nanoTime() - pausedAt;
        assertThat(why).isInstanceOf(JobCancelledException.class).hasMessageContaining("lost contact");
        assertThat(job.stillOwned()).isFalse();
        // Nothing could take the job while Redis was frozen: the cancellation came first, well within a lease.
        assertThat(Duration.ofNanos(cancelledAfter)).isLessThan(lease);
        assertThat(attempts).containsExactly(1);

        redis.server().orElseThrow().resume();
        await().atMost(Duration.ofSeconds(60)).until(() -> state(queue, id) == JobState.COMPLETED);
        assertThat(attempts).containsExactly(1, 2);
        var info = queue.info(id).toCompletableFuture().join().orElseThrow();
        assertThat(info.result()).contains("\"second attempt\"");
        assertThat(info.stalls()).isEqualTo(1);
    }

    private static JobState state(JobQueue<String> queue, String id) {
        return queue.state(id).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> java.util.Optional.empty()).join()
                .orElse(null);
    }
}
