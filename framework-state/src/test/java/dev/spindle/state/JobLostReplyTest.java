package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.spindle.state.internal.Script;
import dev.spindle.state.jobs.JobInfo;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.JobState;
import dev.spindle.state.jobs.NewJob;
import dev.spindle.state.jobs.WorkerOptions;
import dev.spindle.state.jobs.internal.DefaultJobs;
import dev.spindle.state.jobs.internal.JobStore;
import dev.spindle.state.jobs.internal.JobStore.Done;
import dev.spindle.state.jobs.internal.JobStore.FetchRequest;
import dev.spindle.state.jobs.internal.JobStore.Leased;
import dev.spindle.state.jobs.internal.JobStore.Outcome;
import dev.spindle.state.jobs.internal.JobStore.Retention;
import dev.spindle.state.jobs.internal.RedisJobStore;
import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Job-queue calls whose reply is lost to a dropped connection after Redis ran them, made with
 * {@link LostReplyProxy} between the store's connection and Redis; time is a {@link ManualClock}.
 */
class JobLostReplyTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Retention KEEP = new Retention(1000, Duration.ofDays(1).toMillis());

    private final ManualClock clock = new ManualClock();
    private final long start = clock.millis();
    private final ForkJoinPool pool = new ForkJoinPool(4);
    private final LostReplyProxy proxy;
    private final RedisConnection connection;
    private final DefaultJobs jobs;

    JobLostReplyTest() throws IOException {
        proxy = new LostReplyProxy(URI.create(redis.url()).getPort());
        connection = RedisConnection.connect(RedisOptions.of(proxy.url()).keyPrefix(Fixtures.uniquePrefix()),
                new SimpleMeterRegistry());
        jobs = new DefaultJobs(RedisJobStore.of(connection), Broadcaster.inMemory(() -> pool),
                new SimpleMeterRegistry(), pool, clock, Duration.ofSeconds(5));
    }

    /** Loads the scripts whose replies the tests lose, so that the EVALSHA that runs is not a NOSCRIPT. */
    @BeforeEach
    void loadScripts() {
        join(jobs.queue("warm-up", String.class).add("x"));
        join(store().fetch("warm-up", new FetchRequest(clock.millis(), 1000, 1, "warm-up", 0, 1000, 0, 1, KEEP)));
        join(store().complete("warm-up", List.of(), clock.millis(), KEEP, null));
    }

    @AfterEach
    void close() throws Exception {
        jobs.shutdown(Duration.ZERO).toCompletableFuture().get(30, TimeUnit.SECONDS);
        jobs.close();
        connection.close(); // before the proxy, so that it does not reconnect to a closed port
        proxy.close();
        pool.shutdownNow();
    }

    // Regression: the jobs leased by a fetch whose reply was lost started nowhere: they waited out their
    // lease, counted as stalled, and ran as a second attempt. The worker now sends the same request again,
    // and Redis answers with the jobs its first run leased.
    @Test
    void aFetchWhoseReplyIsLostLeasesNothingTwiceAndStrandsNothing() {
        JobQueue<String> queue = jobs.queue("lost-fetch", String.class);
        List<String> ids = join(queue.addAll(List.of(NewJob.of("a"), NewJob.of("b"), NewJob.of("c"))));
        CompletableFuture<List<String>> cut = proxy.loseReplyTo(command -> command.get(1).equals(sha("FETCH")));
        List<String> started = new CopyOnWriteArrayList<>();
        jobs.worker(queue, job -> {
            started.add(job.id() + "#" + job.attempt());
            return CompletableFuture.completedFuture(null);
        }, WorkerOptions.concurrency(3).lease(LEASE).pollInterval(Duration.ofSeconds(1)).executor(pool));
        join(cut);

        // Poll by poll, never near the lease: only the lost fetch's own jobs can start.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (clock.millis() - start < LEASE.dividedBy(3).toMillis()) {
                clock.advance(Duration.ofSeconds(1));
            }
            return started.size() >= 3;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                .allMatch(id -> info(queue, id).state() == JobState.COMPLETED));
        assertThat(started).containsExactlyInAnyOrder(ids.get(0) + "#1", ids.get(1) + "#1", ids.get(2) + "#1");
        for (String id : ids) {
            assertThat(info(queue, id).stalls()).isZero();
        }
    }

    // Regression: the same for the jobs a batch of completions leased for the slots it freed.
    @Test
    void aCompletionWhoseReplyIsLostStrandsNothingItLeased() {
        JobQueue<String> queue = jobs.queue("lost-complete", String.class);
        List<String> ids = join(queue.addAll(List.of(NewJob.of("a"), NewJob.of("b"))));
        CompletableFuture<Object> finishA = new CompletableFuture<>();
        List<String> started = new CopyOnWriteArrayList<>();
        jobs.worker(queue, job -> {
            started.add(job.id() + "#" + job.attempt());
            return job.id().equals(ids.get(0)) ? finishA : CompletableFuture.completedFuture(null);
        }, WorkerOptions.concurrency(1).lease(LEASE).pollInterval(Duration.ofSeconds(1)).executor(pool));
        await().atMost(Duration.ofSeconds(30)).until(() -> started.size() == 1);
        join(queue.counts()); // answered after the fetch of a, so that fetch has freed its slot claim
        CompletableFuture<List<String>> cut = proxy.loseReplyTo(command -> command.get(1).equals(sha("COMPLETE")));
        finishA.complete("done");
        join(cut); // a's completion ran, and leased b for the slot it freed

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (clock.millis() - start < LEASE.dividedBy(3).toMillis()) {
                clock.advance(Duration.ofSeconds(1));
            }
            return started.size() >= 2;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                .allMatch(id -> info(queue, id).state() == JobState.COMPLETED));
        assertThat(started).containsExactly(ids.get(0) + "#1", ids.get(1) + "#1");
        assertThat(info(queue, ids.get(1)).stalls()).isZero();
    }

    // Our client settings (REJECT_COMMANDS) fail the commands in flight at a drop instead of sending them
    // again after the reconnect (Lettuce's at-least-once default): an add whose reply is lost ran once.
    @Test
    void anEnqueueWhoseReplyIsLostIsNotSentAgainAndAddsOneJob() {
        JobQueue<String> queue = jobs.queue("lost-add", String.class);
        CompletableFuture<List<String>> cut = proxy.loseReplyTo(command -> command.contains("\"order-42\""));
        CompletableFuture<String> add = queue.add("order-42").toCompletableFuture();
        join(cut);

        assertThat(catchThrowable(add::join)).hasCauseInstanceOf(StateUnavailableException.class);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> counts(queue) == 1);
        assertThat(counts(queue)).isEqualTo(1);
    }

    // A second run of one fetch (its reply lost, the request sent again) leased other jobs as well.
    @Test
    void aFetchRunTwiceLeasesTheSameJobsOnce() {
        JobQueue<String> queue = jobs.queue("fetch-twice", String.class);
        join(queue.addAll(List.of(NewJob.of("a"), NewJob.of("b"), NewJob.of("c"), NewJob.of("d"))));
        FetchRequest request = new FetchRequest(clock.millis(), LEASE.toMillis(), 2, "worker-1", 0, 1000, 0, 1, KEEP,
                "worker-1-7");
        List<Leased> first = join(store().fetch("fetch-twice", request)).jobs();
        clock.advance(Duration.ofSeconds(5));
        List<Leased> second = join(store().fetch("fetch-twice", request.at(clock.millis()))).jobs();

        assertThat(first).hasSize(2);
        assertThat(second).isEqualTo(first);
        assertThat(join(queue.counts()).waiting()).isEqualTo(2);
        assertThat(join(queue.counts()).active()).isEqualTo(2);
    }

    // A second run of one completion reported the jobs its first run completed as lost leases.
    @Test
    void aCompletionRunTwiceReportsItsJobsCompletedBothTimes() {
        JobQueue<String> queue = jobs.queue("complete-twice", String.class);
        join(queue.add("a"));
        Leased job = join(store().fetch("complete-twice", new FetchRequest(clock.millis(), LEASE.toMillis(), 1,
                "worker-1", 0, 1000, 0, 1, KEEP, "worker-1-1"))).jobs().get(0);
        List<Done> done = List.of(new Done(job.id(), job.token(), "\"ok\""));

        assertThat(join(store().complete("complete-twice", done, clock.millis(), KEEP, null)).outcomes())
                .containsExactly(Outcome.OK);
        assertThat(join(store().complete("complete-twice", done, clock.millis(), KEEP, null)).outcomes())
                .containsExactly(Outcome.OK);
        assertThat(join(queue.counts()).completed()).isEqualTo(1);
    }

    private JobStore store() {
        return jobs.store();
    }

    private static long counts(JobQueue<String> queue) {
        return join(queue.counts()).waiting();
    }

    private static JobInfo info(JobQueue<String> queue, String id) {
        return join(queue.info(id)).orElseThrow();
    }

    /** The SHA-1 of one of the job scripts, as {@code EVALSHA} names it. */
    private static String sha(String script) {
        try {
            Field field = Class.forName("dev.spindle.state.jobs.internal.LeaseScripts").getDeclaredField(script);
            field.setAccessible(true);
            return ((Script) field.get(null)).sha();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
