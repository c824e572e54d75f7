package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.state.jobs.Backoff;
import dev.spindle.state.jobs.Job;
import dev.spindle.state.jobs.JobCancelledException;
import dev.spindle.state.jobs.JobEvent;
import dev.spindle.state.jobs.JobHandler;
import dev.spindle.state.jobs.JobInfo;
import dev.spindle.state.jobs.JobOptions;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.JobState;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.LeaseLostException;
import dev.spindle.state.jobs.NewJob;
import dev.spindle.state.jobs.NonRetryableException;
import dev.spindle.state.jobs.QueueOptions;
import dev.spindle.state.jobs.Schedule;
import dev.spindle.state.jobs.Worker;
import dev.spindle.state.jobs.WorkerOptions;
import dev.spindle.state.jobs.internal.DefaultJobs;
import dev.spindle.state.jobs.internal.JobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit of {@link Jobs}: Redis and the in-memory twin pass the same tests. Time
 * is a {@link ManualClock} per test, so delays, backoff, leases, rate windows and schedules never
 * depend on the wall clock; several "instances" share one store.
 */
abstract class JobsContract {

    /** A record of one attempt: which job, which attempt, at what time of the test clock. */
    record Attempt(String id, int attempt, Instant at, long token) {}

    protected final ManualClock clock = new ManualClock();
    /** Handlers' pool: a fork-join pool, whose execute() never takes a lock (callers include Redis threads). */
    protected final ExecutorService pool = new ForkJoinPool(32);
    private final List<Jobs> open = new ArrayList<>();
    private final List<CountDownLatch> gates = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** A new instance sharing the store (and events) of the others in this test. */
    protected abstract Jobs instance(StateClock clock, MeterRegistry registry);

    protected Jobs instance() {
        return instance(clock, new SimpleMeterRegistry());
    }

    /** Closes {@code resource} after this test's instances have stopped (broadcasters before connections: add in reverse). */
    protected void closeAfterInstances(AutoCloseable resource) {
        resources.add(0, resource);
    }

    protected Jobs track(Jobs jobs) {
        open.add(jobs);
        return jobs;
    }

    @AfterEach
    void stopInstances() throws Exception {
        gates.forEach(gate -> {
            while (gate.getCount() > 0) {
                gate.countDown();
            }
        });
        for (Jobs jobs : open) {
            jobs.shutdown(Duration.ZERO).toCompletableFuture().get(10, TimeUnit.SECONDS);
            jobs.close();
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        pool.shutdownNow();
    }

    protected static String queueName() {
        return "q-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    protected CountDownLatch gate() {
        CountDownLatch gate = new CountDownLatch(1);
        gates.add(gate);
        return gate;
    }

    protected WorkerOptions options(int concurrency) {
        return WorkerOptions.concurrency(concurrency).executor(pool).pollInterval(Duration.ofSeconds(1));
    }

    /** A handler that records attempts and completes with the payload. */
    protected static JobHandler<String> recording(List<Attempt> attempts, StateClock clock) {
        return job -> {
            attempts.add(new Attempt(job.id(), job.attempt(), clock.now(), job.fencingToken()));
            return CompletableFuture.completedFuture(job.data());
        };
    }

    /** Advances the clock by {@code step} until {@code done}, at most 30 s of real time. */
    protected void advanceUntil(Duration step, BooleanSupplier done) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (done.getAsBoolean()) {
                return true;
            }
            clock.advance(step);
            return false;
        });
    }

    protected static JobInfo info(JobQueue<?> queue, String id) {
        return join(queue.info(id)).orElseThrow(() -> new AssertionError("no job " + id));
    }

    protected static void awaitState(JobQueue<?> queue, String id, JobState state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> join(queue.state(id)).orElse(null) == state);
    }

    // ---- delays

    @Test
    void delayedJobNeverRunsBeforeItsTime() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        jobs.worker(queue, recording(attempts, clock), options(2));
        Instant due = clock.now().plus(Duration.ofMinutes(5));
        String delayed = join(queue.add("later", JobOptions.builder().delay(Duration.ofMinutes(5)).build()));
        assertThat(info(queue, delayed).state()).isEqualTo(JobState.DELAYED);

        for (int i = 0; i < 299; i++) {
            clock.advance(Duration.ofSeconds(1));
        }
        String probe = join(queue.add("probe"));
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts.stream().anyMatch(a -> a.id().equals(probe)));
        assertThat(attempts).noneMatch(a -> a.id().equals(delayed));
        assertThat(info(queue, delayed).state()).isEqualTo(JobState.DELAYED);

        advanceUntil(Duration.ofMillis(250), () -> attempts.stream().anyMatch(a -> a.id().equals(delayed)));
        Attempt run = attempts.stream().filter(a -> a.id().equals(delayed)).findFirst().orElseThrow();
        assertThat(run.at()).isAfterOrEqualTo(due);
        awaitState(queue, delayed, JobState.COMPLETED);
    }

    @Test
    void jobAtAnInstantRunsNoEarlier() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        jobs.worker(queue, recording(attempts, clock), options(1));
        Instant at = clock.now().plus(Duration.ofSeconds(90));
        String id = join(queue.add("at", JobOptions.builder().at(at).build()));
        advanceUntil(Duration.ofSeconds(1), () -> !attempts.isEmpty());
        assertThat(attempts.get(0).at()).isAfterOrEqualTo(at);
        assertThat(info(queue, id).runAt()).isEqualTo(at);
    }

    // ---- retries

    @Test
    void retriesFollowTheBackoff() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        jobs.worker(queue, job -> {
            attempts.add(new Attempt(job.id(), job.attempt(), clock.now(), job.fencingToken()));
            throw new IllegalStateException("boom " + job.attempt());
        }, options(1));
        String id = join(queue.add("x", JobOptions.builder().attempts(3)
                .backoff(Backoff.exponential(Duration.ofSeconds(10))).build()));

        await().atMost(Duration.ofSeconds(30)).until(() -> join(queue.state(id)).orElseThrow() == JobState.DELAYED);
        JobInfo afterFirst = info(queue, id);
        assertThat(afterFirst.runAt()).isEqualTo(attempts.get(0).at().plusSeconds(10));
        assertThat(afterFirst.error()).contains("java.lang.IllegalStateException: boom 1");

        advanceUntil(Duration.ofSeconds(1), () -> attempts.size() == 2);
        assertThat(attempts.get(1).at()).isAfterOrEqualTo(attempts.get(0).at().plusSeconds(10))
                .isBefore(attempts.get(0).at().plusSeconds(12));
        await().atMost(Duration.ofSeconds(30)).until(() -> join(queue.state(id)).orElseThrow() == JobState.DELAYED);
        assertThat(info(queue, id).runAt()).isEqualTo(attempts.get(1).at().plusSeconds(20));

        advanceUntil(Duration.ofSeconds(1), () -> attempts.size() == 3);
        assertThat(attempts.get(2).at()).isAfterOrEqualTo(attempts.get(1).at().plusSeconds(20));
        awaitState(queue, id, JobState.FAILED);
        JobInfo failed = info(queue, id);
        assertThat(failed.attemptsMade()).isEqualTo(3);
        assertThat(failed.error()).contains("java.lang.IllegalStateException: boom 3");
    }

    @Test
    void nonRetryableFailureGoesStraightToTheFailedSetWithMessageAndStack() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        AtomicInteger calls = new AtomicInteger();
        jobs.worker(queue, job -> {
            calls.incrementAndGet();
            if (job.data().equals("declared")) {
                throw new IllegalArgumentException("bad input");
            }
            return CompletableFuture.failedFuture(new NonRetryableException("no point retrying"));
        }, options(1).nonRetryable(IllegalArgumentException.class));
        String first = join(queue.add("thrown", JobOptions.builder().attempts(5).build()));
        String second = join(queue.add("declared", JobOptions.builder().attempts(5).build()));

        awaitState(queue, first, JobState.FAILED);
        awaitState(queue, second, JobState.FAILED);
        assertThat(calls).hasValue(2);
        JobInfo info = info(queue, first);
        assertThat(info.error()).contains(NonRetryableException.class.getName() + ": no point retrying");
        assertThat(info.stack()).hasValueSatisfying(stack -> assertThat(stack).contains("at dev.spindle"));
        assertThat(info(queue, second).error()).contains("java.lang.IllegalArgumentException: bad input");
        assertThat(join(queue.failed(0, 10))).extracting(JobInfo::id).containsExactly(second, first);
    }

    @Test
    void failedJobsCanBeRetriedOrRemovedById() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        jobs.worker(queue, job -> {
            int run = runs.merge(job.data(), 1, Integer::sum);
            if (run == 1) {
                throw new NonRetryableException("first run fails");
            }
            return CompletableFuture.completedFuture("ok");
        }, options(1));
        String retried = join(queue.add("a"));
        String removed = join(queue.add("b"));
        awaitState(queue, retried, JobState.FAILED);
        awaitState(queue, removed, JobState.FAILED);

        assertThat(join(queue.retry(retried))).isTrue();
        awaitState(queue, retried, JobState.COMPLETED);
        assertThat(info(queue, retried).result()).contains("\"ok\"");
        assertThat(join(queue.retry(retried))).as("only failed jobs are retried").isFalse();

        assertThat(join(queue.remove(removed))).isTrue();
        assertThat(join(queue.info(removed))).isEmpty();
        assertThat(join(queue.remove(removed))).isFalse();
        assertThat(join(queue.counts()).failed()).isZero();
    }

    // ---- deduplication

    @Test
    void anExplicitIdMakesAddIdempotentWhileTheJobExists() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        JobOptions once = JobOptions.builder().id("welcome-42").build();
        assertThat(join(queue.add("first", once))).isEqualTo("welcome-42");
        assertThat(join(queue.add("second", once))).isEqualTo("welcome-42");
        assertThat(join(queue.counts()).waiting()).isEqualTo(1);
        assertThat(info(queue, "welcome-42").data()).isEqualTo("\"first\"");

        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        jobs.worker(queue, recording(attempts, clock), options(1));
        awaitState(queue, "welcome-42", JobState.COMPLETED);
        assertThat(join(queue.add("third", once))).isEqualTo("welcome-42");
        assertThat(attempts).hasSize(1);
    }

    @Test
    void theDedupeWindowOutlivesRetentionAndEnds() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class,
                QueueOptions.defaults().keepCompleted(0, Duration.ofDays(1)));
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        jobs.worker(queue, recording(attempts, clock), options(1));
        JobOptions once = JobOptions.builder().id("order-7").dedupeWindow(Duration.ofMinutes(10)).build();
        join(queue.add("a", once));
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts.size() == 1
                && join(queue.info("order-7")).isEmpty());

        clock.advance(Duration.ofMinutes(9));
        join(queue.add("b", once));
        assertThat(join(queue.info("order-7"))).as("still within the window").isEmpty();

        clock.advance(Duration.ofMinutes(2));
        join(queue.add("c", once));
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts.size() == 2);
    }

    // ---- ordering

    @Test
    void higherPriorityRunsFirstAndEqualsRunInOrderOfAdding() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        join(queue.add("low-1"));
        join(queue.add("high-1", JobOptions.builder().priority(5).build()));
        join(queue.add("low-2"));
        join(queue.add("mid-1", JobOptions.builder().priority(2).build()));
        join(queue.add("high-2", JobOptions.builder().priority(5).build()));
        join(queue.add("low-3"));
        List<String> order = new CopyOnWriteArrayList<>();
        jobs.worker(queue, job -> {
            order.add(job.data());
            return CompletableFuture.completedFuture(null);
        }, options(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> order.size() == 6);
        assertThat(order).containsExactly("high-1", "high-2", "mid-1", "low-1", "low-2", "low-3");
    }

    @Test
    void lifoJobsJumpAheadOfTheirPriority() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        JobOptions lifo = JobOptions.builder().lifo(true).build();
        join(queue.add("fifo-1"));
        join(queue.add("lifo-1", lifo));
        join(queue.add("fifo-2"));
        join(queue.add("lifo-2", lifo));
        List<String> order = new CopyOnWriteArrayList<>();
        jobs.worker(queue, job -> {
            order.add(job.data());
            return CompletableFuture.completedFuture(null);
        }, options(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> order.size() == 4);
        assertThat(order).containsExactly("lifo-2", "lifo-1", "fifo-1", "fifo-2");
    }

    // ---- retention

    @Test
    void retentionTrimsFinishedJobsByCountAndAge() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class, QueueOptions.defaults()
                .keepCompleted(5, Duration.ofHours(1)).keepFailed(3, Duration.ofHours(1)));
        jobs.worker(queue, job -> job.data().startsWith("fail")
                ? CompletableFuture.failedFuture(new NonRetryableException("no"))
                : CompletableFuture.completedFuture(null), options(4));
        List<String> ids = join(queue.addAll(IntStream.range(0, 20).mapToObj(i -> NewJob.of("ok-" + i)).toList()));
        List<String> failedIds = join(queue.addAll(IntStream.range(0, 6).mapToObj(i -> NewJob.of("fail-" + i)).toList()));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var counts = join(queue.counts());
            return counts.waiting() == 0 && counts.active() == 0;
        });
        assertThat(join(queue.counts()).completed()).isEqualTo(5);
        assertThat(join(queue.counts()).failed()).isEqualTo(3);
        long kept = ids.stream().filter(id -> join(queue.info(id)).isPresent()).count();
        assertThat(kept).as("job records are deleted with their set entries").isEqualTo(5);
        assertThat(failedIds.stream().filter(id -> join(queue.info(id)).isPresent()).count()).isEqualTo(3);

        clock.advance(Duration.ofMinutes(61));
        join(queue.add("ok-late"));
        await().atMost(Duration.ofSeconds(30)).until(() -> join(queue.counts()).completed() == 1);
        assertThat(ids.stream().filter(id -> join(queue.info(id)).isPresent()).count()).isZero();
    }

    // ---- limits across instances

    @Test
    void rateLimitHoldsAcrossTwoInstances() {
        String name = queueName();
        QueueOptions limited = QueueOptions.defaults().rateLimit(3, Duration.ofMinutes(1));
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++) {
            Jobs jobs = instance();
            jobs.worker(jobs.queue(name, String.class, limited), recording(attempts, clock), options(10));
        }
        Jobs producer = instance();
        JobQueue<String> queue = producer.queue(name, String.class, limited);
        join(queue.addAll(IntStream.range(0, 8).mapToObj(i -> NewJob.of("j" + i)).toList()));

        await().atMost(Duration.ofSeconds(30)).until(() -> attempts.size() >= 3);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> attempts.size() == 3);
        Instant secondWindow = clock.now().plus(Duration.ofMinutes(1));
        advanceUntil(Duration.ofSeconds(1), () -> attempts.size() >= 6);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> attempts.size() == 6);
        assertThat(attempts.subList(3, 6)).allSatisfy(a -> assertThat(a.at()).isAfterOrEqualTo(secondWindow));
        advanceUntil(Duration.ofSeconds(1), () -> attempts.size() == 8);
    }

    @Test
    void globalConcurrencyHoldsAcrossTwoInstances() {
        String name = queueName();
        QueueOptions capped = QueueOptions.defaults().globalConcurrency(2);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch release = gate();
        for (int i = 0; i < 2; i++) {
            Jobs jobs = instance();
            jobs.worker(jobs.queue(name, String.class, capped), job -> {
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
                release.await(30, TimeUnit.SECONDS);
                now.decrementAndGet();
                done.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }, options(5));
        }
        JobQueue<String> queue = instance().queue(name, String.class, capped);
        join(queue.addAll(IntStream.range(0, 6).mapToObj(i -> NewJob.of("j" + i)).toList()));
        await().atMost(Duration.ofSeconds(30)).until(() -> now.get() == 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> now.get() == 2);
        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> done.get() == 6);
        assertThat(most).hasValue(2);
    }

    // ---- pause, cancel

    @Test
    void pausedQueueStartsNothingUntilResumed() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        jobs.worker(queue, recording(attempts, clock), options(2));
        join(queue.pause());
        String id = join(queue.add("held"));
        clock.advance(Duration.ofSeconds(3));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(attempts::isEmpty);
        assertThat(join(queue.counts())).satisfies(c -> {
            assertThat(c.paused()).isTrue();
            assertThat(c.waiting()).isEqualTo(1);
        });
        join(queue.resume());
        awaitState(queue, id, JobState.COMPLETED);
        assertThat(join(queue.counts()).paused()).isFalse();
    }

    @Test
    void cancellingARunningJobSignalsItsHandlerAndFailsItWithoutRetry() {
        Jobs worker = instance();
        JobQueue<String> queue = worker.queue(queueName(), String.class);
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger undone = new AtomicInteger();
        worker.worker(queue, job -> {
            calls.incrementAndGet();
            CompletableFuture<Void> work = new CompletableFuture<>();
            job.cancellation().whenComplete((ok, why) -> {
                seen.complete(why);
                work.completeExceptionally(why);
            });
            // The request-style signal too: what framework calls and the handler's own work subscribe to.
            job.cancellationSignal().onCancel(undone::incrementAndGet);
            return work;
        }, options(1));
        String id = join(queue.add("long", JobOptions.builder().attempts(5).build()));
        awaitState(queue, id, JobState.ACTIVE);

        JobQueue<String> elsewhere = instance().queue(queue.name(), String.class);
        assertThat(join(elsewhere.cancel(id))).isTrue();
        assertThat(unwrap(join(seen))).isInstanceOf(JobCancelledException.class);
        await().untilAsserted(() -> assertThat(undone).hasValue(1));
        awaitState(queue, id, JobState.FAILED);
        assertThat(info(queue, id).error()).contains("cancelled");
        assertThat(calls).hasValue(1);
        assertThat(join(queue.cancel(id))).as("finished jobs cannot be cancelled").isFalse();
    }

    @Test
    void cancellingAWaitingJobFailsItAtOnce() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        String id = join(queue.add("never", JobOptions.builder().delay(Duration.ofHours(1)).build()));
        assertThat(join(queue.cancel(id))).isTrue();
        assertThat(info(queue, id).state()).isEqualTo(JobState.FAILED);
        assertThat(join(queue.counts()).delayed()).isZero();
    }

    /** Leases up to {@code max} jobs of {@code queue} as a worker that then dies without a trace (a killed process). */
    protected List<JobStore.Leased> leaseAsDeadWorker(Jobs jobs, String queue, int max, Duration lease) {
        JobStore store = ((DefaultJobs) jobs).store();
        return join(store.fetch(queue, new JobStore.FetchRequest(clock.millis(), lease.toMillis(), max, "dead-worker",
                0, 1000, 0, 1, new JobStore.Retention(10_000, Duration.ofDays(7).toMillis())))).jobs();
    }

    // A cancelled job whose worker died went back to waiting when its lease expired and ran again.
    @Test
    void aCancelledJobWhoseWorkerDiedDoesNotRunAgain() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        String id = join(queue.add("doomed", JobOptions.builder().attempts(5).build()));
        assertThat(leaseAsDeadWorker(jobs, queue.name(), 1, Duration.ofSeconds(5))).singleElement()
                .satisfies(leased -> assertThat(leased.id()).isEqualTo(id));
        assertThat(join(queue.cancel(id))).isTrue();

        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        clock.advance(Duration.ofSeconds(6));
        jobs.worker(queue, recording(attempts, clock), options(1));
        awaitState(queue, id, JobState.FAILED);
        assertThat(info(queue, id).error()).hasValueSatisfying(e -> assertThat(e).contains("cancelled"));
        // A job added after it runs after anything the worker still had for this queue (one slot, FIFO).
        String after = join(queue.add("after"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !attempts.isEmpty());
        assertThat(attempts).extracting(Attempt::id).containsExactly(after);
    }

    // A failed attempt of a job whose cancellation its worker had not heard of yet was retried, and a
    // released one went back to waiting: both ran a cancelled job again.
    @Test
    void aCancelledJobIsNeitherRetriedNorReleasedForAnotherRun() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        JobStore store = ((DefaultJobs) jobs).store();
        String failing = join(queue.add("failing", JobOptions.builder().attempts(5).build()));
        String releasing = join(queue.add("releasing", JobOptions.builder().attempts(5).build()));
        List<JobStore.Leased> leased = leaseAsDeadWorker(jobs, queue.name(), 2, Duration.ofSeconds(30));
        assertThat(leased).extracting(JobStore.Leased::id).containsExactly(failing, releasing);
        assertThat(join(queue.cancel(failing))).isTrue();
        assertThat(join(queue.cancel(releasing))).isTrue();

        assertThat(join(store.fail(queue.name(), failing, leased.get(0).token(), clock.millis(), "boom", "", 0,
                new JobStore.Retention(100, 60_000)))).isEqualTo(JobStore.Outcome.FAILED);
        assertThat(join(store.release(queue.name(), releasing, leased.get(1).token(), clock.millis(),
                new JobStore.Retention(100, 60_000)))).isEqualTo(JobStore.Outcome.FAILED);
        assertThat(info(queue, failing).state()).isEqualTo(JobState.FAILED);
        assertThat(info(queue, releasing).state()).isEqualTo(JobState.FAILED);
        assertThat(info(queue, releasing).error()).hasValueSatisfying(e -> assertThat(e).contains("cancelled"));
        assertThat(join(queue.counts()).waiting()).isZero();
    }

    // ---- bulk, progress, state, events

    @Test
    void bulkAddIsAtomicAndKeepsOrder() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        List<NewJob<String>> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(NewJob.of("b" + i));
        }
        batch.add(NewJob.of("dup", JobOptions.builder().id("fixed").build()));
        batch.add(NewJob.of("dup-again", JobOptions.builder().id("fixed").build()));
        List<String> ids = join(queue.addAll(batch));
        assertThat(ids).hasSize(502);
        assertThat(ids.get(500)).isEqualTo("fixed");
        assertThat(ids.get(501)).isEqualTo("fixed");
        assertThat(join(queue.counts()).waiting()).isEqualTo(501);
        List<String> order = new CopyOnWriteArrayList<>();
        jobs.worker(queue, job -> {
            order.add(job.id());
            return CompletableFuture.completedFuture(null);
        }, options(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> order.size() == 501);
        assertThat(order).containsExactlyElementsOf(ids.subList(0, 501));
    }

    @Test
    void progressAndStateAreVisibleById() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        CountDownLatch finish = gate();
        CompletableFuture<Job<String>> running = new CompletableFuture<>();
        jobs.worker(queue, job -> {
            join(job.progress(Map.of("percent", 40)));
            running.complete(job);
            finish.await(30, TimeUnit.SECONDS);
            return CompletableFuture.completedFuture(Map.of("sent", 3));
        }, options(1));
        String id = join(queue.add("report", JobOptions.builder().priority(7).build()));
        Job<String> job = join(running);
        JobInfo active = info(queue, id);
        assertThat(active.state()).isEqualTo(JobState.ACTIVE);
        assertThat(active.progress()).contains("{\"percent\":40}");
        assertThat(active.attemptsMade()).isEqualTo(1);
        assertThat(active.priority()).isEqualTo(7);
        assertThat(active.data()).isEqualTo("\"report\"");
        assertThat(job.stillOwned()).isTrue();
        assertThat(job.fencingToken()).isPositive();
        finish.countDown();
        awaitState(queue, id, JobState.COMPLETED);
        assertThat(info(queue, id).result()).contains("{\"sent\":3}");
        assertThat(info(queue, id).finishedAt()).contains(clock.now());
        assertThat(join(queue.info("no-such-job"))).isEmpty();
    }

    @Test
    void eventsReachAnotherInstance() {
        String name = queueName();
        Jobs listener = instance();
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        Subscription subscription = listener.queue(name, String.class).events(events::add);
        join(subscription.active());
        Jobs worker = instance();
        JobQueue<String> queue = worker.queue(name, String.class);
        worker.worker(queue, job -> job.data().equals("bad")
                ? CompletableFuture.failedFuture(new NonRetryableException("bad data"))
                : CompletableFuture.completedFuture(null), options(1));
        String good = join(queue.add("good"));
        String bad = join(queue.add("bad"));
        await().atMost(Duration.ofSeconds(30)).until(() -> events.size() >= 2);
        assertThat(events).contains(new JobEvent(JobEvent.Type.COMPLETED, name, good, 1, Optional.empty()),
                new JobEvent(JobEvent.Type.FAILED, name, bad, 1,
                        Optional.of(NonRetryableException.class.getName() + ": bad data")));
        subscription.close();
    }

    // ---- leases and fencing

    @Test
    void aReleasedJobCannotBeCompletedByItsFirstWorker() throws Exception {
        String name = queueName();
        ManualClock late = new ManualClock();
        MeterRegistry firstMeters = new SimpleMeterRegistry();
        Jobs first = instance(clock, firstMeters);
        JobQueue<String> queue = first.queue(name, String.class);
        CountDownLatch finish = gate();
        CompletableFuture<Job<String>> firstJob = new CompletableFuture<>();
        first.worker(queue, job -> {
            firstJob.complete(job);
            finish.await(30, TimeUnit.SECONDS);
            return CompletableFuture.completedFuture("from the first worker");
        }, options(1).lease(Duration.ofSeconds(10)));
        String id = join(queue.add("contested"));
        Job<String> stale = join(firstJob);

        // The first worker's clock stands still: it never renews, as if it hung. The second one's is 11 s later.
        late.advance(Duration.ofSeconds(11));
        Jobs second = instance(late, new SimpleMeterRegistry());
        CompletableFuture<Job<String>> secondJob = new CompletableFuture<>();
        second.worker(second.queue(name, String.class), job -> {
            secondJob.complete(job);
            return CompletableFuture.completedFuture("from the second worker");
        }, options(1).lease(Duration.ofSeconds(10)));
        Job<String> fresh = join(secondJob);
        assertThat(fresh.fencingToken()).isGreaterThan(stale.fencingToken());
        assertThat(fresh.attempt()).isEqualTo(2);
        awaitState(queue, id, JobState.COMPLETED);

        Throwable refused = join(stale.progress(99).handle((ok, failure) -> failure));
        assertThat(refused).isInstanceOf(LeaseLostException.class).hasMessageContaining(id)
                .hasMessageContaining("fencing token " + stale.fencingToken());
        finish.countDown();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> firstMeters.counter("spindle.jobs.lease.lost", "queue", name).count() == 1);
        JobInfo done = info(queue, id);
        assertThat(done.result()).contains("\"from the second worker\"");
        assertThat(done.stalls()).isEqualTo(1);
    }

    @Test
    void aDeadWorkersJobIsRecoveredAfterItsLease() {
        String name = queueName();
        Jobs dying = instance();
        JobQueue<String> queue = dying.queue(name, String.class);
        CompletableFuture<Void> taken = new CompletableFuture<>();
        dying.worker(queue, job -> {
            taken.complete(null);
            return new CompletableFuture<>(); // never finishes: its worker "died"
        }, options(1).lease(Duration.ofSeconds(5)));
        String id = join(queue.add("orphan"));
        join(taken);
        // The dead worker stops renewing: shutting its instance down without release would renew nothing either.
        ManualClock later = new ManualClock();
        later.advance(Duration.ofSeconds(6));
        Jobs survivor = instance(later, new SimpleMeterRegistry());
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        join(survivor.queue(name, String.class).events(events::add).active());
        survivor.worker(survivor.queue(name, String.class), recording(attempts, later), options(1));
        awaitState(queue, id, JobState.COMPLETED);
        assertThat(attempts).singleElement().satisfies(a -> assertThat(a.attempt()).isEqualTo(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream()
                .anyMatch(e -> e.type() == JobEvent.Type.STALLED && e.id().equals(id)));
    }

    @Test
    void aJobThatStallsTooOftenFails() {
        String name = queueName();
        QueueOptions strict = QueueOptions.defaults().maxStalls(0);
        Jobs dying = instance();
        JobQueue<String> queue = dying.queue(name, String.class, strict);
        CompletableFuture<Void> taken = new CompletableFuture<>();
        dying.worker(queue, job -> {
            taken.complete(null);
            return new CompletableFuture<>();
        }, options(1).lease(Duration.ofSeconds(5)));
        String id = join(queue.add("fragile"));
        join(taken);
        ManualClock later = new ManualClock();
        later.advance(Duration.ofSeconds(6));
        Jobs survivor = instance(later, new SimpleMeterRegistry());
        survivor.worker(survivor.queue(name, String.class, strict), recording(new ArrayList<>(), later), options(1));
        awaitState(queue, id, JobState.FAILED);
        assertThat(info(queue, id).error()).hasValueSatisfying(e -> assertThat(e).contains("stalled 1 times"));
    }

    @Test
    void leasesAreRenewedWhileTheHandlerRuns() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        CountDownLatch finish = gate();
        CompletableFuture<Job<String>> running = new CompletableFuture<>();
        jobs.worker(queue, job -> {
            running.complete(job);
            finish.await(30, TimeUnit.SECONDS);
            return CompletableFuture.completedFuture(null);
        }, options(1).lease(Duration.ofSeconds(6)));
        String id = join(queue.add("slow"));
        Job<String> job = join(running);
        // A minute of test time in 1 s steps: renewals every 2 s keep the 6 s lease alive.
        for (int i = 0; i < 60; i++) {
            clock.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> pendingRenewalsSettled(queue, id));
        }
        assertThat(job.stillOwned()).isTrue();
        finish.countDown();
        awaitState(queue, id, JobState.COMPLETED);
        assertThat(info(queue, id).attemptsMade()).isEqualTo(1);
        assertThat(info(queue, id).stalls()).isZero();
    }

    // Fetches for a free slot once counted as renewals, so a busy worker never renewed its long job's
    // lease: it fenced itself off and the job ran again. Polls every second here, renewals every 2 s.
    @Test
    void aWorkerThatKeepsFetchingStillRenewsItsLongJob() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        CountDownLatch finish = gate();
        CompletableFuture<Job<String>> running = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        jobs.worker(queue, job -> {
            calls.incrementAndGet();
            running.complete(job);
            finish.await(30, TimeUnit.SECONDS);
            return CompletableFuture.completedFuture(null);
        }, options(2).lease(Duration.ofSeconds(6)));
        String id = join(queue.add("slow"));
        Job<String> job = join(running);
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> pendingRenewalsSettled(queue, id));
        }
        assertThat(job.stillOwned()).isTrue();
        finish.countDown();
        awaitState(queue, id, JobState.COMPLETED);
        assertThat(calls).hasValue(1);
        assertThat(info(queue, id).stalls()).isZero();
    }

    private static boolean pendingRenewalsSettled(JobQueue<String> queue, String id) {
        return join(queue.state(id)).orElseThrow() == JobState.ACTIVE;
    }

    // ---- shutdown

    @Test
    void shutdownLetsRunningJobsFinishWithinTheGrace() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        CountDownLatch finish = gate();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Worker worker = jobs.worker(queue, job -> {
            started.complete(null);
            finish.await(30, TimeUnit.SECONDS);
            return CompletableFuture.completedFuture(null);
        }, options(1));
        String id = join(queue.add("finishing"));
        String next = join(queue.add("next"));
        join(started);
        CompletableFuture<Void> stopped = worker.shutdown(Duration.ofSeconds(30)).toCompletableFuture();
        assertThat(stopped).isNotDone();
        finish.countDown();
        join(stopped);
        assertThat(info(queue, id).state()).isEqualTo(JobState.COMPLETED);
        assertThat(info(queue, next).state()).as("no new job after shutdown began").isEqualTo(JobState.WAITING);
    }

    @Test
    void shutdownPastTheGraceReleasesLeasesForOthersAtOnce() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        CompletableFuture<Throwable> cancelled = new CompletableFuture<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Worker worker = jobs.worker(queue, job -> {
            started.complete(null);
            job.cancellation().whenComplete((ok, why) -> cancelled.complete(why));
            return new CompletableFuture<>(); // never finishes by itself
        }, options(1));
        String id = join(queue.add("stubborn"));
        join(started);
        CompletableFuture<Void> stopped = worker.shutdown(Duration.ofSeconds(20)).toCompletableFuture();
        clock.advance(Duration.ofSeconds(20));
        join(stopped);
        assertThat(unwrap(join(cancelled))).isInstanceOf(JobCancelledException.class);
        JobInfo released = info(queue, id);
        assertThat(released.state()).isEqualTo(JobState.WAITING);
        assertThat(released.attemptsMade()).as("a released attempt does not count").isZero();

        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        Jobs other = instance();
        other.worker(other.queue(queue.name(), String.class), recording(attempts, clock), options(1));
        awaitState(queue, id, JobState.COMPLETED);
        assertThat(attempts).singleElement().satisfies(a -> assertThat(a.attempt()).isEqualTo(1));
    }

    // A handler that finished its work as the grace ended (here: when told to stop) had its lease
    // released all the same, so another instance ran the job a second time.
    @Test
    void aJobThatFinishesAsTheGraceEndsIsCompletedNotReleased() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        CompletableFuture<Void> started = new CompletableFuture<>();
        Worker worker = jobs.worker(queue, job -> {
            started.complete(null);
            CompletableFuture<String> work = new CompletableFuture<>();
            job.cancellation().whenComplete((ok, why) -> work.complete("finished at the bell"));
            return work;
        }, options(1));
        String id = join(queue.add("last-minute"));
        join(started);
        ((ForkJoinPool) pool).awaitQuiescence(30, TimeUnit.SECONDS); // the handler has returned its stage
        CompletableFuture<Void> stopped = worker.shutdown(Duration.ofSeconds(20)).toCompletableFuture();
        clock.advance(Duration.ofSeconds(20));
        join(stopped);
        JobInfo done = info(queue, id);
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.result()).contains("\"finished at the bell\"");
    }

    // Workers stopped listening for cancellations as soon as shutdown began, so a job running out its
    // grace could not be cancelled from another instance before the grace ended.
    @Test
    void aJobRunningOutItsGraceCanStillBeCancelled() {
        Jobs jobs = instance();
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        jobs.worker(queue, job -> {
            started.complete(null);
            CompletableFuture<Void> work = new CompletableFuture<>();
            job.cancellation().whenComplete((ok, why) -> {
                seen.complete(why);
                work.completeExceptionally(why);
            });
            return work;
        }, options(1));
        String id = join(queue.add("winding-down"));
        join(started);
        CompletableFuture<Void> stopped = jobs.shutdown(Duration.ofMinutes(5)).toCompletableFuture();
        assertThat(join(instance().queue(queue.name(), String.class).cancel(id))).isTrue();
        assertThat(unwrap(join(seen))).isInstanceOf(JobCancelledException.class).hasMessageContaining("was cancelled");
        join(stopped);
        assertThat(info(queue, id).state()).isEqualTo(JobState.FAILED);
        assertThat(info(queue, id).error()).contains("cancelled");
    }

    // ---- metrics

    @Test
    void metersCountOutcomesWaitsAndQueueSizes() {
        MeterRegistry meters = new SimpleMeterRegistry();
        Jobs jobs = instance(clock, meters);
        JobQueue<String> queue = jobs.queue(queueName(), String.class);
        jobs.worker(queue, job -> job.data().equals("bad")
                ? CompletableFuture.failedFuture(new NonRetryableException("bad"))
                : CompletableFuture.completedFuture(null), options(2));
        join(queue.addAll(List.of(NewJob.of("a"), NewJob.of("b"), NewJob.of("bad"))));
        String tag = queue.name();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                meters.counter("spindle.jobs.completed", "queue", tag).count() == 2
                        && meters.counter("spindle.jobs.failed", "queue", tag).count() == 1);
        assertThat(meters.timer("spindle.jobs.wait", "queue", tag).count()).isEqualTo(3);
        assertThat(meters.timer("spindle.jobs.processing", "queue", tag).count()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            clock.advance(Duration.ofSeconds(6)); // gauges read the store at most every 5 s
            return meters.get("spindle.jobs.failed.kept").tag("queue", tag).gauge().value() == 1
                    && meters.get("spindle.jobs.completed.kept").tag("queue", tag).gauge().value() == 2;
        });
        assertThat(meters.get("spindle.jobs.waiting").tag("queue", tag).gauge().value()).isZero();
    }

    // ---- schedulers

    @Test
    void aSchedulerOnThreeInstancesFiresOncePerPeriod() {
        AtomicInteger runs = new AtomicInteger();
        String name = "tick-" + UUID.randomUUID().toString().substring(0, 6);
        List<Jobs> instances = List.of(instance(), instance(), instance());
        for (Jobs jobs : instances) {
            join(jobs.schedule(name, Schedule.fixedRate(Duration.ofMinutes(1)), () -> {
                runs.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }).ready());
        }
        for (int period = 1; period <= 4; period++) {
            clock.advance(Duration.ofMinutes(1));
            int expected = period;
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() >= expected);
            awaitSchedulesSettled(instances.get(0));
        }
        // Each fire time is enqueued once, as one job with a deterministic id, and runs once.
        JobQueue<String> schedules = instances.get(0).queue("spindle.schedules", String.class);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                .until(() -> join(schedules.counts()).completed() == 4);
        for (int minute = 1; minute <= 4; minute++) {
            Instant fire = Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofMinutes(minute));
            assertThat(join(schedules.info(name + "@" + fire.toEpochMilli()))).isPresent();
        }
        assertThat(join(schedules.info(name + "@" + Instant.parse("2026-01-01T00:00:00Z").toEpochMilli())))
                .as("the registration time itself is not a fire").isEmpty();
        assertThat(runs).hasValue(4);
    }

    // Why the test above saw fires run twice. It moved the clock 60 s (twice the lease) while a run's
    // completion was still on its way: the lease lapsed in test time and another instance rightly ran
    // the job again (it now waits for stored outcomes). And a fetch sent early in a jump (a poll at
    // +5 s) but answered after it (a script load's extra round trip) leased the fired job with a lease
    // already expired in test time: its worker ran it, another reaped it and ran it again (workers now
    // release, untried, jobs leased by an answer that came after most of the lease). A real clock cannot
    // jump past a lease between renewals; moved in steps of a third of the lease with renewals
    // answered, a run longer than the lease stays single.
    @Test
    void aScheduledRunLongerThanTheLeaseRunsOncePerFireTime() {
        List<Instant> runs = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> unfinished = new CopyOnWriteArrayList<>();
        String name = "long-" + UUID.randomUUID().toString().substring(0, 6);
        List<Jobs> instances = List.of(instance(), instance(), instance());
        for (Jobs jobs : instances) {
            join(jobs.schedule(name, Schedule.fixedRate(Duration.ofMinutes(1)), () -> {
                runs.add(clock.now());
                CompletableFuture<Void> work = new CompletableFuture<>();
                unfinished.add(work);
                return work; // runs on for minutes of test time
            }).ready());
        }
        for (int step = 1; step <= 18; step++) { // three minutes in 10 s steps: a third of the 30 s lease
            clock.advance(Duration.ofSeconds(10));
            int fires = step / 6;
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() >= fires);
            for (Jobs jobs : instances) { // each instance's renewals travel before its answer to this
                JobQueue<String> schedules = jobs.queue("spindle.schedules", String.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> join(schedules.counts()).active() == fires);
            }
        }
        assertThat(runs).hasSize(3);
        unfinished.forEach(work -> work.complete(null));
        JobQueue<String> schedules = instances.get(0).queue("spindle.schedules", String.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> join(schedules.counts()).completed() == 3);
        for (int minute = 1; minute <= 3; minute++) {
            Instant fire = Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofMinutes(minute));
            JobInfo info = info(schedules, name + "@" + fire.toEpochMilli());
            assertThat(info.attemptsMade()).isEqualTo(1);
            assertThat(info.stalls()).isZero();
        }
        assertThat(runs).hasSize(3);
    }

    @Test
    void registeringASchedulerAgainReplacesIt() {
        AtomicInteger old = new AtomicInteger();
        AtomicInteger replaced = new AtomicInteger();
        Jobs jobs = instance();
        String name = "upsert-" + UUID.randomUUID().toString().substring(0, 6);
        jobs.schedule(name, Schedule.fixedRate(Duration.ofMinutes(1)), () -> {
            old.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        join(jobs.schedule(name, Schedule.fixedRate(Duration.ofMinutes(2)), () -> {
            replaced.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }).ready());
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(1));
            int minute = i + 1;
            await().atMost(Duration.ofSeconds(30)).until(() -> replaced.get() == minute / 2);
        }
        assertThat(old).hasValue(0);
    }

    @Test
    void missedFireTimesRunOnceAfterDowntimeWithRunOnce() {
        assertMisfire(Schedule.Misfire.RUN_ONCE, 2);
    }

    @Test
    void missedFireTimesAreSkippedWithSkip() {
        assertMisfire(Schedule.Misfire.SKIP, 1);
    }

    /**
     * Waits until the scheduled jobs' outcomes are stored: moving the clock past a lease while a
     * completion is still on its way would (rightly) run the job again.
     */
    private static void awaitSchedulesSettled(Jobs jobs) {
        JobQueue<String> schedules = jobs.queue("spindle.schedules", String.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var counts = join(schedules.counts());
            return counts.active() == 0 && counts.waiting() == 0;
        });
    }

    private void assertMisfire(Schedule.Misfire policy, int runsAfterRestart) {
        AtomicInteger runs = new AtomicInteger();
        String name = "misfire-" + UUID.randomUUID().toString().substring(0, 6);
        Schedule schedule = Schedule.fixedRate(Duration.ofMinutes(1)).misfire(policy)
                .misfireThreshold(Duration.ofSeconds(5));
        Jobs before = instance();
        Jobs.Scheduler scheduler = before.schedule(name, schedule, () -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        join(scheduler.ready());
        clock.advance(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() == 1);
        awaitSchedulesSettled(before);
        scheduler.close(); // downtime: no instance runs the scheduler for ten periods

        clock.advance(Duration.ofMinutes(10).plusSeconds(30));
        Jobs after = instance();
        join(after.schedule(name, schedule, () -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }).ready());
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() >= runsAfterRestart);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> runs.get() == runsAfterRestart);
        clock.advance(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() == runsAfterRestart + 1);
    }

    @Test
    void cronSchedulesFollowTheirTimeZone() {
        Schedule paris = Schedule.cron("30 2 * * *", java.time.ZoneId.of("Europe/Paris"));
        // 2026-03-29: clocks go from 02:00 to 03:00 in Paris, so 02:30 does not exist that day.
        assertThat(paris.next(Instant.parse("2026-03-27T12:00:00Z"))).isEqualTo(Instant.parse("2026-03-28T01:30:00Z"));
        assertThat(paris.next(Instant.parse("2026-06-01T12:00:00Z"))).isEqualTo(Instant.parse("2026-06-02T00:30:00Z"));
        Schedule utc = Schedule.cron("0 * * * *");
        assertThat(utc.next(Instant.parse("2026-01-01T10:15:00Z"))).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
        assertThat(utc.latestAtOrBefore(Instant.parse("2026-01-01T10:15:00Z")))
                .contains(Instant.parse("2026-01-01T10:00:00Z"));
    }
}
