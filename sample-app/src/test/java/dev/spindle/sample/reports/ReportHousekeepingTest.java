package dev.spindle.sample.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.state.Broadcaster;
import dev.spindle.state.StateClock;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.JobState;
import dev.spindle.state.jobs.Jobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The housekeeping task against the in-memory job queue, with the queue's clock and the task's
 * clock set by hand: failed reports past the retention go, younger ones and their pages stay.
 */
class ReportHousekeepingTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final AtomicLong millis = new AtomicLong(T0.toEpochMilli());
    private final Jobs jobs = Jobs.builder().broadcaster(Broadcaster.inMemory(() -> executor)).executor(executor)
            .clock(new HandClock(millis)).build();
    private final JobQueue<ReportRequest> queue = jobs.queue(Reports.QUEUE, ReportRequest.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        jobs.close();
        executor.shutdownNow();
    }

    @Test
    void removesFailedReportsPastTheirRetentionAndKeepsYoungerOnes() {
        // No worker: a cancelled waiting job fails at once, finished at the queue clock's time.
        List<String> old = failedReports(120);
        millis.set(T0.plus(Duration.ofDays(2)).toEpochMilli());
        List<String> recent = failedReports(30);
        Clock now = Clock.fixed(T0.plus(Duration.ofDays(2)).plus(Duration.ofHours(1)), ZoneOffset.UTC);
        ReportHousekeeping housekeeping = new ReportHousekeeping(queue, Duration.ofDays(1), now, registry);

        int removed = housekeeping.run().toCompletableFuture().join();

        assertThat(removed).isEqualTo(120);
        assertThat(old).allSatisfy(id -> assertThat(queue.info(id).toCompletableFuture().join()).isEmpty());
        assertThat(recent).allSatisfy(id -> assertThat(queue.state(id).toCompletableFuture().join())
                .contains(JobState.FAILED));
        assertThat(registry.get("sample.reports.purged").counter().count()).isEqualTo(120);
        assertThat(registry.get("sample.housekeeping.runs").counter().count()).isEqualTo(1);

        assertThat(housekeeping.run().toCompletableFuture().join()).as("a second run finds nothing to do").isZero();
        assertThat(queue.counts().toCompletableFuture().join().failed()).isEqualTo(30);
    }

    private List<String> failedReports(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = queue.add(new ReportRequest(30)).toCompletableFuture().join();
            assertThat(queue.cancel(id).toCompletableFuture().join()).isTrue();
            ids.add(id);
        }
        return ids;
    }

    /** The queue's clock, moved by the test; nothing here needs its timers. */
    private record HandClock(AtomicLong time) implements StateClock {

        @Override
        public long millis() {
            return time.get();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Timer schedule(Runnable task, Duration delay) {
            return () -> { };
        }
    }
}
