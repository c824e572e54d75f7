package dev.spindle.bench.spindle;

import dev.spindle.state.BroadcastOptions;
import dev.spindle.state.Broadcaster;
import dev.spindle.state.RedisConnection;
import dev.spindle.state.RedisOptions;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.NewJob;
import dev.spindle.state.jobs.QueueOptions;
import dev.spindle.state.jobs.Worker;
import dev.spindle.state.jobs.WorkerOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One cell of bench/jobs.sh for Spindle: add-and-process throughput of a no-op handler at a given
 * concurrency (jobs added in bulks of 1,000 while the worker runs), then enqueue-to-start latency
 * of jobs added one at a time to an idle worker. Prints one JSON line.
 *
 * <p>Arguments: Redis URL, jobs, concurrency, latency samples.
 */
public final class JobsBench {

    private JobsBench() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int jobs = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        int samples = Integer.parseInt(args[3]);
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        RedisConnection redis = RedisConnection.connect(RedisOptions.of(url).keyPrefix(prefix)
                .commandTimeout(Duration.ofSeconds(5)), new SimpleMeterRegistry());
        ForkJoinPool pool = ForkJoinPool.commonPool();
        Broadcaster broadcaster = Broadcaster.redis(redis, BroadcastOptions.defaults(), () -> pool,
                new SimpleMeterRegistry());
        Jobs spindle = Jobs.builder().redis(redis).broadcaster(broadcaster).executor(pool).build();
        QueueOptions retention = QueueOptions.defaults().keepCompleted(1_000, Duration.ofHours(1));

        JobQueue<Long> throughput = spindle.queue("throughput", Long.class, retention);
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Void> all = new CompletableFuture<>();
        Worker worker = spindle.worker(throughput, job -> {
            if (done.incrementAndGet() == jobs) {
                all.complete(null);
            }
            return CompletableFuture.completedFuture(null);
        }, WorkerOptions.concurrency(concurrency));
        long start = System.nanoTime();
        for (int from = 0; from < jobs; from += 1000) {
            List<NewJob<Long>> bulk = new ArrayList<>(1000);
            for (int i = from; i < Math.min(jobs, from + 1000); i++) {
                bulk.add(NewJob.of((long) i));
            }
            throughput.addAll(bulk).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        all.get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        worker.shutdown(Duration.ZERO).toCompletableFuture().get(30, TimeUnit.SECONDS);

        JobQueue<Long> latency = spindle.queue("latency", Long.class, retention);
        long[] waits = new long[samples];
        AtomicInteger seen = new AtomicInteger();
        AtomicLong pending = new AtomicLong();
        CompletableFuture<Void> sampled = new CompletableFuture<>();
        spindle.worker(latency, job -> {
            int n = seen.getAndIncrement();
            if (n < samples) {
                waits[n] = System.nanoTime() - job.data();
            }
            if (n + 1 == samples) {
                sampled.complete(null);
            }
            pending.decrementAndGet();
            return CompletableFuture.completedFuture(null);
        }, WorkerOptions.concurrency(concurrency));
        for (int i = 0; i < samples; i++) {
            pending.incrementAndGet();
            latency.add(System.nanoTime()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        sampled.get(60, TimeUnit.SECONDS);
        Arrays.sort(waits);
        System.out.printf("{\"target\":\"spindle\",\"concurrency\":%d,\"jobs\":%d,\"jobsPerSec\":%.0f,"
                        + "\"p50ms\":%.3f,\"p99ms\":%.3f}%n", concurrency, jobs, jobs / seconds,
                waits[samples / 2] / 1e6, waits[(int) (samples * 0.99)] / 1e6);
        spindle.close();
        redis.call(c -> c.eval("for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 1",
                io.lettuce.core.ScriptOutputType.INTEGER, new String[0], prefix + "*"))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        broadcaster.close();
        redis.close();
        System.exit(0);
    }
}
