package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.state.jobs.JobOptions;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.NewJob;
import dev.spindle.state.jobs.QueueOptions;
import dev.spindle.state.jobs.WorkerOptions;
import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crashes: worker JVMs killed with SIGKILL mid-job, again and again, while 10,000 jobs run; and a
 * Redis (AOF, fsync always) killed and restarted mid-run. Nothing may be lost; duplicates are
 * bounded by the jobs in flight at the kills. Slow: tagged {@code process}.
 */
@Tag("process")
class JobCrashProcessTest {

    @RegisterExtension
    static final RedisExtension shared = RedisExtension.shared();

    @RegisterExtension
    static final RedisExtension durable = RedisExtension.ownServer(true);

    private static final int JOBS = 10_000;
    private static final int WORKERS = 3;
    private static final int CONCURRENCY = 8;
    private static final long LEASE_MS = 5_000;

    @Test
    void tenThousandJobsSurviveRepeatedWorkerKills() throws Exception {
        String prefix = Fixtures.uniquePrefix();
        String queueName = "crash";
        RedisConnection redis = connect(shared.url(), prefix);
        ForkJoinPool pool = new ForkJoinPool(4);
        Broadcaster broadcaster = Broadcaster.redis(redis, BroadcastOptions.defaults(), () -> pool,
                new SimpleMeterRegistry());
        Jobs producer = Jobs.builder().redis(redis).broadcaster(broadcaster).executor(pool).build();
        List<Process> workers = new ArrayList<>();
        try {
            JobQueue<Integer> queue = producer.queue(queueName, Integer.class,
                    QueueOptions.defaults().maxStalls(1000).keepCompleted(100_000, Duration.ofHours(1)));
            for (int batch = 0; batch < JOBS / 500; batch++) {
                int from = batch * 500;
                List<NewJob<Integer>> jobs = IntStream.range(from, from + 500)
                        .mapToObj(n -> NewJob.of(n, JobOptions.builder().id("job-" + n).build())).toList();
                // Explicit ids make a retried add idempotent (a busy machine may time a bulk add out).
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> queue.addAll(jobs).toCompletableFuture().get(10, TimeUnit.SECONDS).size() == 500);
            }
            for (int i = 0; i < WORKERS; i++) {
                workers.add(startWorker(shared.url(), prefix, queueName));
            }
            Random random = new Random(42);
            int kills = 0;
            long inFlightAtKills = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (completed(queue) < JOBS && System.nanoTime() < deadline) {
                await().pollDelay(Duration.ofMillis(300 + random.nextInt(700))).atMost(Duration.ofSeconds(5))
                        .until(() -> true);
                if (completed(queue) >= JOBS || kills >= 12) {
                    continue;
                }
                int victim = random.nextInt(workers.size());
                inFlightAtKills += queue.counts().toCompletableFuture().get(10, TimeUnit.SECONDS).active();
                workers.get(victim).destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
                kills++;
                workers.set(victim, startWorker(shared.url(), prefix, queueName));
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> completed(queue) >= JOBS);

            Map<String, String> runs = redis.call(c -> c.hgetall(redis.key("runs")))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            long executions = runs.values().stream().mapToLong(Long::parseLong).sum();
            long duplicates = executions - runs.size();
            System.out.printf("Crash test: %d jobs, %d completed, %d SIGKILLs, %d executions, %d duplicates, "
                    + "%d jobs in flight at the kills%n", JOBS, completed(queue), kills, executions, duplicates,
                    inFlightAtKills);
            assertThat(kills).isGreaterThanOrEqualTo(3);
            assertThat(completed(queue)).isEqualTo(JOBS);
            assertThat(runs).hasSize(JOBS);
            assertThat(queue.counts().toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isZero();
            assertThat(duplicates).isLessThanOrEqualTo(inFlightAtKills);
        } finally {
            workers.forEach(process -> {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.close();
            broadcaster.close();
            redis.close();
            pool.shutdownNow();
        }
    }

    @Test
    void aRedisRestartMidRunLosesNothing() throws Exception {
        String prefix = Fixtures.uniquePrefix();
        RedisConnection redis = connect(durable.url(), prefix);
        await().atMost(Duration.ofSeconds(30)).until(redis::isConnected);
        ForkJoinPool pool = new ForkJoinPool(8);
        Broadcaster broadcaster = Broadcaster.redis(redis, BroadcastOptions.defaults(), () -> pool,
                new SimpleMeterRegistry());
        Jobs jobs = Jobs.builder().redis(redis).broadcaster(broadcaster).executor(pool).build();
        Map<Integer, Integer> runs = new ConcurrentHashMap<>();
        try {
            int total = 3_000;
            JobQueue<Integer> queue = jobs.queue("restart", Integer.class,
                    QueueOptions.defaults().maxStalls(1000).keepCompleted(100_000, Duration.ofHours(1)));
            jobs.worker(queue, job -> {
                runs.merge(job.data(), 1, Integer::sum);
                return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS, pool));
            }, WorkerOptions.concurrency(8).lease(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(200)));
            for (int from = 0; from < total; from += 500) {
                List<NewJob<Integer>> batch = IntStream.range(from, from + 500)
                        .mapToObj(n -> NewJob.of(n, JobOptions.builder().id("job-" + n).build())).toList();
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> queue.addAll(batch).toCompletableFuture().get(10, TimeUnit.SECONDS).size() == 500);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> runs.size() >= 300);

            durable.server().orElseThrow().kill();
            durable.server().orElseThrow().restart();

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                try {
                    return queue.counts().toCompletableFuture().get(5, TimeUnit.SECONDS).completed() >= total;
                } catch (Exception redisStillAway) {
                    return false;
                }
            });
            assertThat(runs).hasSize(total);
            long duplicates = runs.values().stream().mapToLong(n -> n - 1).sum();
            System.out.printf("Redis restart: %d jobs, all completed, %d ran twice (in flight at the crash)%n",
                    total, duplicates);
            assertThat(duplicates).isLessThanOrEqualTo(8 * 2);
        } finally {
            jobs.close();
            broadcaster.close();
            redis.close();
            pool.shutdownNow();
        }
    }

    /** A connection with a command timeout that a busy machine does not miss. */
    static RedisConnection connect(String url, String prefix) {
        return RedisConnection.connect(RedisOptions.of(url).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(2)),
                new SimpleMeterRegistry());
    }

    private static long completed(JobQueue<Integer> queue) throws Exception {
        return queue.counts().toCompletableFuture().get(10, TimeUnit.SECONDS).completed();
    }

    private static Process startWorker(String url, String prefix, String queue) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), JobWorkerProcess.class.getName(), url, prefix, queue,
                Integer.toString(CONCURRENCY), Long.toString(LEASE_MS))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.equals("ready")) {
                        break;
                    }
                }
            } catch (Exception ignored) {
                // the process died; the wait below fails
            }
        });
        ready.get(60, TimeUnit.SECONDS);
        // Keep draining its output so that it never blocks on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (Exception ignored) {
                // the process ended
            }
        }, "worker-output");
        drain.setDaemon(true);
        drain.start();
        return process;
    }
}
