package dev.spindle.bench.spindle;

import dev.spindle.bench.BenchContract;
import dev.spindle.bench.BenchContract.Message;
import dev.spindle.core.Config;
import dev.spindle.http.HttpSettings;
import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import dev.spindle.state.Cache;
import dev.spindle.state.Session;
import dev.spindle.state.State;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The Spindle target of the state benchmark: the bench contract plus its state routes, with
 * sessions and the cache in Redis ({@code REDIS_URL}) as the guide's production shape has them.
 * Public API only and production defaults; session cookies are signed (as express-session's and
 * {@code @fastify/session}'s always are) with {@link BenchContract#SESSION_SECRET}.
 */
public final class SpindleStateServer {

    private SpindleStateServer() {}

    /** Starts the server and returns; the event loops keep the JVM alive. */
    public static void main(String[] args) {
        Config config = Config.builder()
                .set(HttpSettings.HOST, BenchContract.HOST)
                .set("session.signing-keys", BenchContract.SESSION_SECRET)
                .classpathFile().externalFile().environment(System.getenv()).systemProperties()
                .build();
        Spindle app = Spindle.create(config);
        SpindleBenchServer.declare(app);
        State state = State.install(app);
        app.group("/state", group -> {
            group.use(state.sessions());
            group.post("/session", ctx -> Session.of(ctx).thenApply(session -> {
                session.put("user", BenchContract.SESSION_USER);
                return Response.text("logged in");
            }));
            group.get("/session", ctx -> Session.get(ctx, "user", String.class)
                    .thenApply(user -> Response.text("hello " + user.orElse("guest"))));
        });
        Cache<Message> cache = state.cache("bench", Message.class);
        app.get("/state/cache", ctx -> cache.forRequest(ctx).getOrLoad(BenchContract.CACHE_KEY,
                () -> CompletableFuture.completedFuture(new Message(BenchContract.HELLO)), Duration.ofHours(1))
                .thenApply(Response::json));
        app.start();
    }
}
