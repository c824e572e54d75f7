package dev.spindle.cluster;

/**
 * The running worker's side of the cluster: its slot, and a way for the app (an admin route, a
 * deploy hook) to ask the supervisor for a rolling restart.
 *
 * <pre>{@code
 * app.post("/admin/rolling-restart", ctx -> Cluster.worker()
 *         .map(worker -> { worker.requestRollingRestart(); return Response.empty(202); })
 *         .orElse(Response.empty(409)).completed());
 * }</pre>
 */
public interface ClusterWorker {

    /** The worker's slot, from 1 to {@code cluster.workers}; a replacement takes its predecessor's. */
    int id();

    /** Asks the supervisor to replace every worker, one at a time; this one included. */
    void requestRollingRestart();
}
