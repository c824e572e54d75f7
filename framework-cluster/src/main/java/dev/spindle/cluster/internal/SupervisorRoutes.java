package dev.spindle.cluster.internal;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The supervisor's admin routes: the workers, a rolling restart, the supervisor's own metrics. */
final class SupervisorRoutes {

    private SupervisorRoutes() {}

    static void install(AdminEndpoint admin, Supervisor supervisor, PrometheusMeterRegistry registry) {
        admin.metrics("/metrics", registry);
        admin.route("/cluster/workers", method -> {
            if (!method.equals("GET")) {
                return notAllowed("GET");
            }
            List<Supervisor.WorkerView> workers = supervisor.workers().get(10, TimeUnit.SECONDS);
            return AdminEndpoint.Answer.json(200, workers.stream().map(worker -> String.format(
                            "{\"worker\":%d,\"pid\":%d,\"state\":\"%s\",\"metricsPort\":%d,\"uptimeMillis\":%d}",
                            worker.slot(), worker.pid(), worker.state(), worker.metricsPort(), worker.uptimeMillis()))
                    .collect(Collectors.joining(",", "{\"workers\":[", "]}")));
        });
        admin.route("/cluster/rolling-restart", method -> {
            if (!method.equals("POST")) {
                return notAllowed("POST");
            }
            boolean accepted = supervisor.rollingRestart("admin endpoint").get(10, TimeUnit.SECONDS);
            return accepted
                    ? AdminEndpoint.Answer.json(202, "{\"status\":\"rolling restart started\"}")
                    : AdminEndpoint.Answer.json(409, "{\"title\":\"Conflict\",\"status\":409,"
                            + "\"detail\":\"A rolling restart is already running, or the cluster is stopping\"}");
        });
    }

    private static AdminEndpoint.Answer notAllowed(String allowed) {
        return AdminEndpoint.Answer.json(405, "{\"title\":\"Method Not Allowed\",\"status\":405,\"detail\":\"use "
                + allowed + "\"}");
    }
}
