package dev.spindle.sample.reports;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.HttpException;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Routes;
import dev.spindle.sample.users.UserRepository;
import dev.spindle.state.jobs.JobInfo;
import dev.spindle.state.jobs.JobOptions;
import dev.spindle.state.jobs.JobQueue;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.QueueOptions;
import dev.spindle.state.jobs.Schedule;
import dev.spindle.state.jobs.WorkerOptions;
import dev.spindle.validation.Validation;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import tools.jackson.databind.ObjectMapper;

/**
 * Sign-up reports, built in the background on the job queue: {@code POST /reports} asks for one
 * and answers {@code 202 Accepted} at once with its {@code Location}; {@code GET /reports/{id}}
 * says whether it is waiting, active (with the users scanned so far), completed (with the report)
 * or failed (with why). With Redis any instance may build it and any instance answers for it.
 * Ids are random UUIDs, so a report's address cannot be guessed from another's. A scheduled
 * {@link ReportHousekeeping} removes failed reports after their retention.
 */
public final class Reports {

    /** The job queue's name (also in the operator routes and the {@code queue} label of the metrics). */
    public static final String QUEUE = "reports";

    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final JobQueue<ReportRequest> queue;
    private final Validation validation;
    private final ObjectMapper json;

    private Reports(JobQueue<ReportRequest> queue, Validation validation, ObjectMapper json) {
        this.queue = queue;
        this.validation = validation;
        this.json = json;
    }

    /**
     * Declares the queue on {@code jobs} (finished reports kept for {@code retention}), starts a
     * worker building {@code concurrency} reports at once on this instance, and registers the
     * housekeeping every {@code housekeepingEvery}.
     */
    public static Reports start(Jobs jobs, UserRepository users, Validation validation, ObjectMapper json,
                                MeterRegistry registry, String instanceId, Duration retention, int concurrency,
                                Duration housekeepingEvery) {
        requireNonNull(jobs, "jobs");
        ReportIds.seed();
        JobQueue<ReportRequest> queue = jobs.queue(QUEUE, ReportRequest.class, QueueOptions.defaults()
                .keepCompleted(10_000, retention).keepFailed(10_000, retention));
        jobs.worker(queue, new SignupReportJob(users, instanceId, Clock.systemUTC(), registry),
                WorkerOptions.concurrency(concurrency));
        jobs.schedule("reports-housekeeping", Schedule.fixedRate(housekeepingEvery),
                new ReportHousekeeping(queue, retention, Clock.systemUTC(), registry));
        return new Reports(queue, requireNonNull(validation, "validation"), requireNonNull(json, "json"));
    }

    /** {@code POST /reports} with {@code writes} (e.g. the API-key check) and {@code GET /reports/{id}} on {@code api}. */
    public void declare(Routes api, RouteOptions writes) {
        api.post("/reports", writes, this::request);
        api.get("/reports/{id}", this::status);
    }

    private CompletionStage<Response> request(Context ctx) {
        return validation.body(ctx, ReportRequest.class)
                .thenCompose(request -> queue.add(request, JobOptions.builder().id(ReportIds.next())
                        .attempts(3).build()))
                .thenApply(id -> {
                    String location = ctx.path() + "/" + id;
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("id", id);
                    body.put("status", "waiting");
                    body.put("location", location);
                    return Response.json(body).status(202).header("Location", location);
                });
    }

    private CompletionStage<Response> status(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) {
            throw notFound(id);
        }
        return queue.info(id).thenApply(info -> Response.json(view(info.orElseThrow(() -> notFound(id)))));
    }

    private Map<String, Object> view(JobInfo info) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", info.id());
        view.put("status", info.state().name().toLowerCase(Locale.ROOT));
        view.put("request", json.readTree(info.data()));
        view.put("createdAt", info.createdAt().toString());
        info.finishedAt().ifPresent(finished -> view.put("finishedAt", finished.toString()));
        view.put("attempts", info.attemptsMade());
        info.progress().ifPresent(progress -> view.put("progress", json.readTree(progress)));
        info.result().ifPresent(result -> view.put("report", json.readTree(result)));
        info.error().ifPresent(error -> view.put("error", error));
        return view;
    }

    private static HttpException notFound(String id) {
        return HttpException.notFound("No report '" + id + "' (unknown, or removed after its retention)");
    }
}
