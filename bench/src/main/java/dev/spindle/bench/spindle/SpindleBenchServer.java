package dev.spindle.bench.spindle;

import dev.spindle.bench.BenchContract;
import dev.spindle.bench.BenchContract.Message;
import dev.spindle.core.Config;
import dev.spindle.http.HttpSettings;
import dev.spindle.http.Response;
import dev.spindle.http.Routes;
import dev.spindle.http.Spindle;
import java.util.concurrent.CompletableFuture;

/**
 * The Spindle target: public API only, production defaults (metrics, request ids, health
 * endpoints, deadlines and whatever else is on by default; access log off as by default). The
 * only setting the bench makes is the listen address, 127.0.0.1 instead of 0.0.0.0, and the port
 * from {@code $PORT}; both can still be overridden as in any app. SIGTERM drains and exits.
 */
public final class SpindleBenchServer {

    private static final Response HELLO = Response.text(BenchContract.HELLO);
    private static final Response PONG = Response.text("pong");

    private SpindleBenchServer() {}

    /** Declares the bench contract's routes; the JMH response-path benchmark declares the same. */
    public static void declare(Routes app) {
        app.get("/plaintext", ctx -> HELLO.completed());
        app.get("/json", ctx -> CompletableFuture.completedStage(Response.json(new Message(BenchContract.HELLO))));
        app.get("/ping", ctx -> PONG.completed());
        app.get("/cpu", ctx -> ctx.offload(BenchContract::pbkdf2Hex).thenApply(Response::text));
        app.get("/cpu-inline", ctx -> CompletableFuture.completedStage(Response.text(BenchContract.pbkdf2Hex())));
        for (String route : BenchContract.fillerRoutes()) {
            app.get(BenchContract.braces(route), ctx -> CompletableFuture.completedStage(Response.text(ctx.route())));
        }
        app.get("/users/{id}", ctx -> CompletableFuture.completedStage(Response.text("user " + ctx.pathParam("id"))));
    }

    /** Starts the server and returns; the event loops keep the JVM alive. */
    public static void main(String[] args) {
        Config config = Config.builder()
                .set(HttpSettings.HOST, BenchContract.HOST)
                .classpathFile().externalFile().environment(System.getenv()).systemProperties()
                .build();
        Spindle app = Spindle.create(config);
        declare(app);
        app.start();
    }
}
