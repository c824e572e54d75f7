package dev.spindle.bench.vertx;

import dev.spindle.bench.BenchContract;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x-web target: one {@link VertxBenchVerticle} per core (Vert.x's way to use every
 * event loop), native transport, a vertx-web {@code Router} with the bench's 100 routes, and
 * {@code /cpu} on a shared worker executor of one thread per core (the size of Spindle's
 * offload pool). Vert.x sends no {@code Date} header by default; the bench adds one, refreshed
 * each second, as its TechEmpower entry does, so that every target sends the same headers.
 */
public final class VertxBenchServer {

    private VertxBenchServer() {}

    /** Deploys the verticles and exits the JVM if that fails. */
    public static void main(String[] args) {
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores).setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            System.err.println("WARNING: Vert.x runs without native transport: " + vertx.unavailableNativeTransportCause());
        }
        WorkerExecutor cpu = vertx.createSharedWorkerExecutor("bench-cpu", cores, 60, TimeUnit.SECONDS);
        DateHeader.start(vertx);
        vertx.deployVerticle(() -> new VertxBenchVerticle(cpu), new DeploymentOptions().setInstances(cores))
                .onFailure(failure -> {
                    System.err.println("Vert.x bench server failed to start: " + failure);
                    System.exit(1);
                });
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> vertx.close().toCompletionStage().toCompletableFuture().join(), "vertx-bench-stop"));
    }
}
