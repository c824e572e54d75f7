package dev.spindle.state.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.HttpException;
import dev.spindle.http.Middleware;
import dev.spindle.http.Response;
import dev.spindle.http.Routes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * JSON routes for operators, mounted where the app wants them and always behind a middleware the
 * app chooses (authentication, an allow-list): queues with their counts, failed jobs, one job,
 * retry, remove or cancel a job, pause and resume a queue. They list the queues declared on this
 * instance with {@link Jobs#queue}.
 *
 * <pre>{@code
 * app.group("/admin/jobs", JobRoutes.of(state.jobs(), requireAdmin));
 * // GET    /admin/jobs                          queues and counts
 * // GET    /admin/jobs/{queue}/failed?offset=0&limit=50
 * // GET    /admin/jobs/{queue}/jobs/{id}
 * // POST   /admin/jobs/{queue}/jobs/{id}/retry  a failed job back to waiting
 * // POST   /admin/jobs/{queue}/jobs/{id}/cancel
 * // DELETE /admin/jobs/{queue}/jobs/{id}
 * // POST   /admin/jobs/{queue}/pause, /resume
 * }</pre>
 */
public final class JobRoutes {

    private JobRoutes() {}

    /** The routes, for {@code app.group(prefix, ...)}; {@code guard} runs before every one of them. */
    public static Consumer<Routes> of(Jobs jobs, Middleware guard) {
        requireNonNull(jobs, "jobs");
        requireNonNull(guard, "guard");
        return routes -> {
            routes.use(guard);
            routes.get("/", ctx -> queues(jobs));
            routes.get("/{queue}/failed", ctx -> {
                int offset = ctx.queryParam("offset", Integer.class).orElse(0);
                int limit = ctx.queryParam("limit", Integer.class).orElse(50);
                if (offset < 0 || limit < 1 || limit > 1000) {
                    throw HttpException.badRequest("offset " + offset + ", limit " + limit
                            + " (expected: offset >= 0, limit 1..1000)");
                }
                return queue(jobs, ctx).failed(offset, limit)
                        .thenApply(list -> Response.json(list.stream().map(JobRoutes::view).toList()));
            });
            routes.get("/{queue}/jobs/{id}", ctx -> queue(jobs, ctx).info(ctx.pathParam("id"))
                    .thenApply(info -> Response.json(view(info.orElseThrow(() -> noJob(ctx))))));
            routes.post("/{queue}/jobs/{id}/retry", ctx -> queue(jobs, ctx).retry(ctx.pathParam("id"))
                    .thenApply(done -> answer(done, ctx, "is not failed")));
            routes.post("/{queue}/jobs/{id}/cancel", ctx -> queue(jobs, ctx).cancel(ctx.pathParam("id"))
                    .thenApply(done -> answer(done, ctx, "is finished or unknown")));
            routes.delete("/{queue}/jobs/{id}", ctx -> queue(jobs, ctx).remove(ctx.pathParam("id"))
                    .thenApply(done -> answer(done, ctx, "is running or unknown")));
            routes.post("/{queue}/pause", ctx -> queue(jobs, ctx).pause()
                    .thenApply(ok -> Response.json(Map.of("queue", ctx.pathParam("queue"), "paused", true))));
            routes.post("/{queue}/resume", ctx -> queue(jobs, ctx).resume()
                    .thenApply(ok -> Response.json(Map.of("queue", ctx.pathParam("queue"), "paused", false))));
        };
    }

    private static CompletionStage<Response> queues(Jobs jobs) {
        List<CompletableFuture<Map<String, Object>>> rows = new ArrayList<>();
        for (JobQueue<?> queue : jobs.queues()) {
            rows.add(queue.counts().thenApply(counts -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("queue", queue.name());
                row.put("waiting", counts.waiting());
                row.put("delayed", counts.delayed());
                row.put("active", counts.active());
                row.put("completed", counts.completed());
                row.put("failed", counts.failed());
                row.put("paused", counts.paused());
                return row;
            }).toCompletableFuture());
        }
        return CompletableFuture.allOf(rows.toArray(CompletableFuture[]::new))
                .thenApply(all -> Response.json(rows.stream().map(CompletableFuture::join).toList()));
    }

    private static JobQueue<?> queue(Jobs jobs, Context ctx) {
        String name = ctx.pathParam("queue");
        return jobs.queues().stream().filter(q -> q.name().equals(name)).findFirst()
                .orElseThrow(() -> HttpException.notFound("No queue '" + name + "' on this instance"));
    }

    private static HttpException noJob(Context ctx) {
        return HttpException.notFound("No job '" + ctx.pathParam("id") + "' in queue '" + ctx.pathParam("queue") + "'");
    }

    private static Response answer(boolean done, Context ctx, String otherwise) {
        if (!done) {
            throw HttpException.conflict("Job '" + ctx.pathParam("id") + "' of queue '" + ctx.pathParam("queue")
                    + "' " + otherwise);
        }
        return Response.json(Map.of("queue", ctx.pathParam("queue"), "id", ctx.pathParam("id"), "done", true));
    }

    /** A job as JSON: plain values only, timestamps in ISO-8601. */
    static Map<String, Object> view(JobInfo info) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("queue", info.queue());
        view.put("id", info.id());
        view.put("state", info.state().name().toLowerCase(java.util.Locale.ROOT));
        view.put("data", info.data());
        view.put("priority", info.priority());
        view.put("attemptsMade", info.attemptsMade());
        view.put("maxAttempts", info.maxAttempts());
        view.put("createdAt", info.createdAt().toString());
        view.put("runAt", info.runAt().toString());
        view.put("finishedAt", info.finishedAt().map(Object::toString).orElse(null));
        view.put("progress", info.progress().orElse(null));
        view.put("result", info.result().orElse(null));
        view.put("error", info.error().orElse(null));
        view.put("stack", info.stack().orElse(null));
        view.put("stalls", info.stalls());
        return view;
    }
}
