package dev.spindle.cluster;

import static java.util.Objects.requireNonNull;

import dev.spindle.cluster.internal.ClusterLauncher;
import dev.spindle.core.Config;
import dev.spindle.http.Spindle;
import java.util.Optional;

/**
 * Runs an app as one process, or as a cluster of worker processes on one port, like Node's
 * {@code cluster} module but supervised: with {@code cluster.workers} above 1 (or {@code auto},
 * one per core) {@code java -jar app.jar} becomes a small supervisor that starts that many worker
 * JVMs running the same main class with the same arguments. Each worker binds the same port with
 * {@code SO_REUSEPORT}, so the kernel spreads connections and the supervisor carries no traffic.
 *
 * <p>The supervisor replaces a worker that dies (with a backoff), exits with status 70 when a
 * worker keeps dying before it is ready (the crash-loop guard: an orchestrator then restarts or
 * reports the whole thing), drains every worker on SIGTERM and exits 0, and on SIGHUP or
 * {@code POST /cluster/rolling-restart} on its admin port replaces workers one at a time, each
 * new one ready before the old one drains. Every worker serves Prometheus metrics on a port of
 * its own, listed in a file for Prometheus's file-based discovery.
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *     Cluster.launch(args, () -> {
 *         Spindle app = Spindle.create();
 *         app.get("/hello", ctx -> Response.text("hello").completed());
 *         return app.start();
 *     });
 * }
 * }</pre>
 */
public final class Cluster {

    private Cluster() {}

    /** Creates, configures and starts the app in a worker (or the only process); returns it started. */
    @FunctionalInterface
    public interface App {
        /** Builds and starts the app. */
        Spindle start() throws Exception;
    }

    /**
     * Starts the app in this process, or, with {@code cluster.workers} above 1, supervises worker
     * processes that do and returns only to exit the JVM with the cluster's status. The class
     * calling this must be the application's main class (workers run it with {@code args}).
     */
    public static void launch(String[] args, App app) throws Exception {
        Class<?> main = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        launch(Config.load(), main, args, app);
    }

    /** As {@link #launch(String[], App)}, with the configuration and main class given. */
    public static void launch(Config config, Class<?> mainClass, String[] args, App app) throws Exception {
        ClusterLauncher.launch(requireNonNull(config, "config"), requireNonNull(mainClass, "mainClass"),
                requireNonNull(args, "args"), requireNonNull(app, "app"));
    }

    /** This process's place in a cluster when it is a supervised worker; empty otherwise. */
    public static Optional<ClusterWorker> worker() {
        return ClusterLauncher.worker();
    }
}
