package dev.spindle.sample.reports;

import static java.util.Objects.requireNonNull;

import dev.spindle.sample.users.UserRepository;
import dev.spindle.state.jobs.Job;
import dev.spindle.state.jobs.JobCancelledException;
import dev.spindle.state.jobs.JobHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Builds one sign-up report: reads every user a page at a time from the store (never all of them
 * at once) and counts them. The job queue calls it on the offload pool, so the counting never
 * runs on an event loop; progress (users scanned) is stored with the job after each page, and a
 * cancelled report stops at the next page.
 */
final class SignupReportJob implements JobHandler<ReportRequest> {

    /** Users read from the store per page. */
    static final int PAGE = 500;

    private final UserRepository users;
    private final String instanceId;
    private final Clock clock;
    private final Counter runs;

    SignupReportJob(UserRepository users, String instanceId, Clock clock, MeterRegistry registry) {
        this.users = requireNonNull(users, "users");
        this.instanceId = requireNonNull(instanceId, "instanceId");
        this.clock = requireNonNull(clock, "clock");
        // Counts starts, not completions: summed over a fleet it shows a job that ran twice.
        this.runs = Counter.builder("sample.reports.runs")
                .description("Report jobs started on this instance (a retry counts again)").register(registry);
    }

    @Override
    public CompletionStage<SignupReport> handle(Job<ReportRequest> job) {
        runs.increment();
        Instant now = clock.instant();
        int days = job.data().days();
        SignupTally tally = new SignupTally(now.minus(Duration.ofDays(days)));
        return scan(job, tally, 0).thenApply(done -> tally.report(days, now, instanceId));
    }

    private CompletionStage<Void> scan(Job<ReportRequest> job, SignupTally tally, int offset) {
        if (job.isCancelled()) {
            return CompletableFuture.failedFuture(new JobCancelledException("Report " + job.id() + " was cancelled"));
        }
        return users.list(offset, PAGE).thenCompose(page -> {
            page.forEach(tally::add);
            if (page.size() < PAGE) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            return job.progress(Map.of("usersScanned", tally.scanned()))
                    .thenCompose(saved -> scan(job, tally, offset + page.size()));
        });
    }
}
