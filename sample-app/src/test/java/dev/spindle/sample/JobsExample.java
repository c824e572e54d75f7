package dev.spindle.sample;

import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;

import dev.spindle.http.HttpException;
import dev.spindle.http.Middleware;
import dev.spindle.http.Spindle;
import dev.spindle.state.State;
import dev.spindle.state.jobs.Backoff;
import dev.spindle.state.jobs.JobOptions;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.JobRoutes;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.QueueOptions;
import dev.spindle.state.jobs.Schedule;
import dev.spindle.state.jobs.WorkerOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The README's jobs example, compiled with the build; {@code ReadmeTest} checks the README quotes it. */
final class JobsExample {

    record Email(String to, String body) {}

    interface Mailer {
        CompletionStage<Void> send(Email email);
    }

    private JobsExample() {}

    static JobQueue<Email> install(Spindle app, State state, Mailer mailer, String userId, Middleware requireAdmin) {
        // README:jobs:start
        Jobs jobs = state.jobs();                          // Redis with REDIS_URL, in-memory twin otherwise
        JobQueue<Email> emails = jobs.queue("emails", Email.class,
                QueueOptions.defaults().rateLimit(100, ofSeconds(1)).keepCompleted(1_000, ofMinutes(60)));
        emails.add(new Email("ada@example.com", "Welcome!"), JobOptions.builder().delay(ofMinutes(5)).attempts(5)
                .backoff(Backoff.exponential(ofSeconds(1)).jitter(0.2)).id("welcome-" + userId).priority(2).build());
        jobs.worker(emails, job -> mailer.send(job.data()), WorkerOptions.concurrency(8));
        jobs.schedule("cleanup", Schedule.cron("0 * * * *"), () -> CompletableFuture.runAsync(JobsExample::purge));
        app.group("/admin/jobs", JobRoutes.of(jobs, requireAdmin));
        // README:jobs:end
        return emails;
    }

    static Middleware adminsOnly() {
        return (ctx, next) -> {
            if (!ctx.header("X-Admin").isPresent()) {
                throw new HttpException(403, "Operators only");
            }
            return next.handle(ctx);
        };
    }

    private static void purge() {
        // deletes expired rows
    }
}
