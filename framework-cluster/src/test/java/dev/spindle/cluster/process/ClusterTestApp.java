package dev.spindle.cluster.process;

import dev.spindle.cluster.Cluster;
import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import java.util.List;

/**
 * The app the process tests run through the cluster launcher: {@code /pid} names the worker that
 * answered, {@code /config/<key>} shows a setting as the worker sees it, and
 * {@code POST /rolling-restart} asks the supervisor for one. With {@code --crash-at-start} every worker dies before it is ready.
 */
public final class ClusterTestApp {

    private ClusterTestApp() {}

    public static void main(String[] args) throws Exception {
        Cluster.launch(args, () -> {
            if (List.of(args).contains("--crash-at-start")) {
                System.err.println("ClusterTestApp: dying at start as asked (--crash-at-start)");
                System.exit(3);
            }
            Spindle app = Spindle.create();
            String pid = String.valueOf(ProcessHandle.current().pid());
            app.get("/pid", ctx -> Response.text(pid).completed());
            app.get("/worker", ctx -> Response.text(Cluster.worker().map(w -> String.valueOf(w.id())).orElse("none"))
                    .completed());
            app.post("/rolling-restart", ctx -> Cluster.worker()
                    .map(worker -> {
                        worker.requestRollingRestart();
                        return Response.empty(202);
                    })
                    .orElse(Response.empty(409)).completed());
            app.get("/config/{key}", ctx -> Response.text(app.config().knownSettings().stream()
                    .filter(setting -> setting.key().equals(ctx.pathParam("key"))).findFirst()
                    .map(setting -> String.valueOf(app.config().get(setting))).orElse("unknown")).completed());
            return app.start();
        });
    }
}
