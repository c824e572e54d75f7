package dev.spindle.sample;

import dev.spindle.cluster.Cluster;
import dev.spindle.cluster.Coordination;
import dev.spindle.cluster.LeaderElection;
import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import dev.spindle.state.State;

/** The README's cluster examples, compiled with the build; {@code ClusterReadmeTest} checks the README quotes them. */
final class ClusterExamples {

    private ClusterExamples() {}

    // README:cluster-launch:start
    public static void main(String[] args) throws Exception {
        Cluster.launch(args, () -> {                 // cluster.workers=auto: one worker JVM per core
            Spindle app = Spindle.create();
            app.get("/hello", ctx -> Response.text("hello").completed());
            return app.start();
        });
    }
    // README:cluster-launch:end

    static void coordination(Spindle app) {
        // README:coordination:start
        State state = State.install(app);                           // REDIS_URL set: shared by every instance
        Coordination cluster = Coordination.install(app, state);    // heartbeats, GET /cluster/instances
        LeaderElection cleanup = cluster.election("cleanup");
        app.post("/admin/cleanup", ctx -> cleanup.leadership()
                .map(lease -> Response.text("purged by token " + lease.token()))  // pass the token to the store
                .orElse(Response.empty(409))
                .completed());
        // README:coordination:end
    }
}
