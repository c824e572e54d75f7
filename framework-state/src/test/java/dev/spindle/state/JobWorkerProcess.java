package dev.spindle.state;

import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.QueueOptions;
import dev.spindle.state.jobs.WorkerOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A worker process for the crash tests: runs jobs of one queue until killed. Each run of a job
 * counts itself in the hash {@code <prefix>runs} (the side effect whose duplicates the test
 * counts) before the job completes. Exits when its parent closes its standard input.
 *
 * <p>Arguments: Redis URL, key prefix, queue, concurrency, lease millis.
 */
public final class JobWorkerProcess {

    private JobWorkerProcess() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String prefix = args[1];
        String queueName = args[2];
        int concurrency = Integer.parseInt(args[3]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
        RedisConnection redis = JobCrashProcessTest.connect(url, prefix);
        ForkJoinPool pool = new ForkJoinPool(concurrency + 2);
        Broadcaster broadcaster = Broadcaster.redis(redis, BroadcastOptions.defaults(), () -> pool,
                new SimpleMeterRegistry());
        Jobs jobs = Jobs.builder().redis(redis).broadcaster(broadcaster).executor(pool).build();
        JobQueue<Integer> queue = jobs.queue(queueName, Integer.class, QueueOptions.defaults().maxStalls(1000)
                .keepCompleted(100_000, Duration.ofHours(1)));
        String runs = redis.key("runs");
        jobs.worker(queue, job -> CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                        10 + ThreadLocalRandom.current().nextInt(20), TimeUnit.MILLISECONDS, pool))
                .thenCompose(ignored -> redis.call(c -> c.hincrby(runs, job.id(), 1)))
                .thenApply(count -> job.data()),
                WorkerOptions.concurrency(concurrency).lease(lease).pollInterval(Duration.ofMillis(200)).executor(pool));
        System.out.println("ready");
        System.out.flush();
        waitForParent();
        jobs.close();
        broadcaster.close();
        redis.close();
        System.exit(0);
    }

    private static void waitForParent() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes; EOF means it is gone
            }
        } catch (IOException gone) {
            // the parent is gone
        }
    }
}
