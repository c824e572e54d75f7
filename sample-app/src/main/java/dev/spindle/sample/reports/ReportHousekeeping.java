package dev.spindle.sample.reports;

import static java.util.Objects.requireNonNull;

import dev.spindle.state.jobs.JobInfo;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.ScheduledTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled housekeeping of reports: failed reports stay readable (with why they failed) for
 * the retention, then this removes them. The queue trims its failed set only when another job
 * fails, so on a quiet queue they would stay forever without it. It runs as a job of the queue's
 * scheduler: on one instance of the fleet per fire time, not on a timer in every instance.
 */
public final class ReportHousekeeping implements ScheduledTask {

    private static final Logger log = LoggerFactory.getLogger(ReportHousekeeping.class);

    /** Failed reports read per call. */
    static final int PAGE = 100;

    /** At most this many removals per run, so one run stays short; the next run goes on. */
    static final int MAX_PER_RUN = 10_000;

    private final JobQueue<ReportRequest> queue;
    private final Duration retention;
    private final Clock clock;
    private final Counter runs;
    private final Counter purged;

    /** Housekeeping of {@code queue}, removing failed reports older than {@code retention} by {@code clock}. */
    public ReportHousekeeping(JobQueue<ReportRequest> queue, Duration retention, Clock clock, MeterRegistry registry) {
        this.queue = requireNonNull(queue, "queue");
        this.retention = requireNonNull(retention, "retention");
        this.clock = requireNonNull(clock, "clock");
        this.runs = Counter.builder("sample.housekeeping.runs")
                .description("Housekeeping runs on this instance (one per fire time across the fleet)").register(registry);
        this.purged = Counter.builder("sample.reports.purged")
                .description("Failed reports removed by housekeeping after their retention").register(registry);
    }

    /** Removes the failed reports that finished before now minus the retention; completes with how many. */
    @Override
    public CompletionStage<Integer> run() {
        runs.increment();
        Instant cutoff = clock.instant().minus(retention);
        return purge(cutoff, 0, 0).thenApply(count -> {
            purged.increment(count);
            log.info("Housekeeping: removed {} failed report(s) that finished before {} (retention {})", count,
                    cutoff, retention);
            return count;
        });
    }

    /** The failed set is newest first: expired reports are at its end, and each removal shifts the rest. */
    private CompletionStage<Integer> purge(Instant cutoff, int offset, int removedSoFar) {
        return queue.failed(offset, PAGE).thenCompose(page -> {
            List<CompletableFuture<Boolean>> removals = page.stream()
                    .filter(info -> info.finishedAt().map(finished -> finished.isBefore(cutoff)).orElse(false))
                    .map(JobInfo::id)
                    .map(id -> queue.remove(id).toCompletableFuture())
                    .toList();
            return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).thenCompose(done -> {
                int removed = (int) removals.stream().filter(CompletableFuture::join).count();
                int total = removedSoFar + removed;
                if (page.size() < PAGE || total >= MAX_PER_RUN) {
                    return CompletableFuture.<Integer>completedFuture(total);
                }
                return purge(cutoff, offset + page.size() - removed, total);
            });
        });
    }
}
