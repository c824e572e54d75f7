package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.HttpException;
import dev.spindle.http.Middleware;
import dev.spindle.state.jobs.JobOptions;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.JobRoutes;
import dev.spindle.state.jobs.JobState;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.NonRetryableException;
import dev.spindle.state.jobs.WorkerOptions;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The operator routes over a real socket, behind the app's own guard. */
class JobRoutesHttpTest {

    private static final Middleware ADMINS_ONLY = (ctx, next) -> {
        if (!ctx.header("X-Admin").orElse("").equals("yes")) {
            throw new HttpException(403, "Operators only");
        }
        return next.handle(ctx);
    };

    @Test
    void operatorsSeeQueuesRetryRemoveAndPause() throws Exception {
        AtomicReference<JobQueue<String>> emails = new AtomicReference<>();
        try (TestServer server = TestServer.start(app -> {
            Jobs jobs = State.install(app).jobs();
            JobQueue<String> queue = jobs.queue("emails", String.class);
            emails.set(queue);
            java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            jobs.worker(queue, job -> job.data().startsWith("bad") && seen.add(job.data())
                    ? CompletableFuture.failedFuture(new NonRetryableException("mailbox full"))
                    : CompletableFuture.completedFuture("sent"), WorkerOptions.concurrency(2));
            app.group("/admin/jobs", JobRoutes.of(jobs, ADMINS_ONLY));
        })) {
            JobQueue<String> queue = emails.get();
            String bad = queue.add("bad-1").toCompletableFuture().get(10, TimeUnit.SECONDS);
            String worse = queue.add("bad-2").toCompletableFuture().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.counts().toCompletableFuture().join().failed() == 2);

            assertThat(server.client().get("/admin/jobs").status()).isEqualTo(403);
            TestResponse list = admin(server, "GET", "/admin/jobs");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.json().get(0).get("queue").asString()).isEqualTo("emails");
            assertThat(list.json().get(0).get("failed").asLong()).isEqualTo(2);

            TestResponse failed = admin(server, "GET", "/admin/jobs/emails/failed?limit=10");
            assertThat(failed.status()).isEqualTo(200);
            assertThat(failed.json().size()).isEqualTo(2);
            assertThat(failed.json().get(0).get("error").asString()).contains("mailbox full");
            assertThat(failed.json().get(0).get("stack").asString()).contains("NonRetryableException");

            TestResponse one = admin(server, "GET", "/admin/jobs/emails/jobs/" + bad);
            assertThat(one.json().get("state").asString()).isEqualTo("failed");
            assertThat(admin(server, "GET", "/admin/jobs/emails/jobs/nope").status()).isEqualTo(404);
            assertThat(admin(server, "GET", "/admin/jobs/parcels").status()).isEqualTo(404);

            assertThat(admin(server, "POST", "/admin/jobs/emails/jobs/" + bad + "/retry").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.state(bad).toCompletableFuture().join()
                    .orElseThrow() == JobState.COMPLETED);
            assertThat(admin(server, "POST", "/admin/jobs/emails/jobs/" + bad + "/retry").status())
                    .as("only failed jobs are retried").isEqualTo(409);

            assertThat(admin(server, "DELETE", "/admin/jobs/emails/jobs/" + worse).status()).isEqualTo(200);
            assertThat(queue.info(worse).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEmpty();

            assertThat(admin(server, "POST", "/admin/jobs/emails/pause").json().get("paused").asBoolean()).isTrue();
            String held = queue.add("later", JobOptions.defaults()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(admin(server, "GET", "/admin/jobs").json().get(0).get("paused").asBoolean()).isTrue();
            assertThat(admin(server, "POST", "/admin/jobs/emails/resume").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.state(held).toCompletableFuture().join()
                    .orElseThrow() == JobState.COMPLETED);
            assertThat(admin(server, "GET", "/admin/jobs/emails/failed?limit=0").status()).isEqualTo(400);
        }
    }

    private static TestResponse admin(TestServer server, String method, String path) {
        return switch (method) {
            case "GET" -> server.client().get(path, "X-Admin", "yes");
            case "POST" -> server.client().post(path, "", "X-Admin", "yes");
            default -> server.client().delete(path, "X-Admin", "yes");
        };
    }
}
