package dev.spindle.state;

import dev.spindle.core.LoopExecutor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Deadline;
import dev.spindle.http.Context;
import dev.spindle.http.Response;
import dev.spindle.test.TestServer;
import dev.spindle.test.redis.RedisExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module's threading rule, checked for every public method against Redis and memory: a stage
 * handed to user code completes on the caller's event loop, successes and failures alike, and
 * loaders run there too; calls made off the loops complete on the offload pool. Never on Lettuce's
 * threads (the regression: cache loaders, decoding and session write-back ran there).
 */
class ThreadingModelTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    /** Where loaders complete: a thread that is neither the loop nor Lettuce's. */
    private static final ExecutorService elsewhere = Executors.newSingleThreadExecutor();

    @AfterAll
    static void stop() {
        elsewhere.shutdownNow();
    }

    private record Op(String name, boolean fails, Function<Context, CompletionStage<?>> call) {}

    private static final AtomicReference<String> loaderThread = new AtomicReference<>();

    private static List<Op> ops(State state, Cache<String> cache) {
        SessionStore store = state.sessionStore();
        String id = "threading-" + System.nanoTime();
        Instant now = Instant.now();
        SessionUpdate create = new SessionUpdate(true, now, now, Duration.ofMinutes(5), Map.of("a", "1"), Set.of());
        Function<Context, CompletionStage<?>> foreignLoad = ctx -> cache.forRequest(ctx).getOrLoad("miss-" + System.nanoTime(),
                () -> {
                    loaderThread.set(Thread.currentThread().getName());
                    return CompletableFuture.supplyAsync(() -> "loaded", elsewhere);
                }, Duration.ofMinutes(1));
        List<Op> ops = new java.util.ArrayList<>(List.of(
                new Op("cache.get miss", false, ctx -> cache.forRequest(ctx).get("absent")),
                new Op("cache.put", false, ctx -> cache.forRequest(ctx).put("k", "v", Duration.ofMinutes(1))),
                new Op("cache.get hit", false, ctx -> cache.forRequest(ctx).get("k")),
                new Op("cache.getAll", false, ctx -> cache.forRequest(ctx).getAll(List.of("k", "absent"))),
                new Op("cache.getOrLoad miss", false, foreignLoad),
                new Op("cache.getOrLoad hit", false, ctx -> cache.forRequest(ctx).getOrLoad("k",
                        CompletableFuture::new, Duration.ofMinutes(1))),
                new Op("cache.getOrLoad failing", true, ctx -> cache.forRequest(ctx).getOrLoad("fail-" + System.nanoTime(),
                        () -> CompletableFuture.supplyAsync(() -> {
                            throw new IllegalStateException("source down");
                        }, elsewhere), Duration.ofMinutes(1))),
                new Op("cache.getOrLoadOptional", false, ctx -> cache.forRequest(ctx).getOrLoadOptional(
                        "opt-" + System.nanoTime(), () -> CompletableFuture.supplyAsync(Optional::empty, elsewhere),
                        Duration.ofMinutes(1))),
                new Op("cache.delete", false, ctx -> cache.forRequest(ctx).delete("k")),
                new Op("cache.invalidateAll", false, ctx -> cache.forRequest(ctx).invalidateAll()),
                new Op("cache.get for no request", false, ctx -> cache.get("k")),
                new Op("cache.getOrLoad for no request", false, ctx -> cache.getOrLoad("nr-" + System.nanoTime(),
                        () -> CompletableFuture.supplyAsync(() -> "v", elsewhere), Duration.ofMinutes(1))),
                new Op("Session.of", false, Session::of),
                new Op("Session.get", false, ctx -> Session.get(ctx, "user", String.class)),
                new Op("Session.invalidateAll", false, ctx -> Session.invalidateAll(ctx, "nobody")),
                new Op("store.save", false, ctx -> store.save(id, create, Deadline.none())),
                new Op("store.load", false, ctx -> store.load(id, Deadline.none())),
                new Op("store.index", false, ctx -> store.index("p", id, Duration.ofMinutes(5), Deadline.none())),
                new Op("store.idsOf", false, ctx -> store.idsOf("p", Deadline.none())),
                new Op("store.move", false, ctx -> store.move(id, id + "-moved", create, Deadline.none())),
                new Op("store.delete", false, ctx -> store.delete(id + "-moved", Deadline.none())),
                new Op("store.deleteAllOf", false, ctx -> store.deleteAllOf("p", Deadline.none()))));
        state.redis().ifPresent(connection -> ops.addAll(List.of(
                new Op("redis.call(ctx)", false, ctx -> connection.call(ctx, c -> c.set(connection.key("s"), "x"))),
                new Op("redis.call(ctx) failing", true, ctx -> connection.call(ctx, c -> c.hget(connection.key("s"), "f"))),
                new Op("redis.call for no request", false, ctx -> connection.call(c -> c.get(connection.key("s")))),
                new Op("redis.call for no request failing", true, ctx -> connection.call(Deadline.none(),
                        c -> c.hget(connection.key("s"), "f"))))));
        return ops;
    }

    private static String where(Context ctx) {
        return LoopExecutor.isLoop(ctx.executor()) && LoopExecutor.inLoopOf(ctx.executor()) ? "loop"
                : "elsewhere: " + Thread.currentThread().getName();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void everyStageCompletesOnTheCallersLoopSuccessesAndFailuresAlike(String backend) {
        TestServer.Builder builder = TestServer.builder();
        if (backend.equals("redis")) {
            builder.set("redis.url", redis.url()).set("redis.key-prefix", Fixtures.uniquePrefix());
        }
        AtomicReference<List<Op>> ops = new AtomicReference<>();
        AtomicReference<State> installed = new AtomicReference<>();
        try (TestServer server = builder.start(app -> {
            State state = State.install(app);
            installed.set(state);
            Cache<String> cache = state.cache("threads", String.class);
            ops.set(ops(state, cache));
            // Outermost: sees where the session middleware's write-back completed.
            app.use((ctx, next) -> next.handle(ctx).thenApply(response -> response.header("X-Completed", where(ctx))));
            app.use(state.sessions());
            app.post("/login", ctx -> Session.of(ctx).thenApply(session -> {
                session.regenerate();
                session.principal("ada").put("user", "ada");
                return Response.text("in");
            }));
            app.post("/update", ctx -> Session.of(ctx).thenApply(session -> {
                session.put("theme", "dark");
                return Response.text("updated");
            }));
            app.get("/op/{index}", ctx -> {
                Op op = ops.get().get(Integer.parseInt(ctx.pathParam("index")));
                return op.call().apply(ctx).handle((value, failure) ->
                        Response.text(where(ctx) + (failure == null ? " ok" : " failed")));
            });
        })) {
            var login = server.client().post("/login", "");
            assertThat(login.header("X-Completed")).as("session write-back of a new session").contains("loop");
            String cookie = login.header("Set-Cookie").orElseThrow();
            var update = server.client().post("/update", "", "Cookie", cookie.substring(0, cookie.indexOf(';')));
            assertThat(update.body()).isEqualTo("updated");
            assertThat(update.header("X-Completed")).as("session write-back of a stored session").contains("loop");
            for (int i = 0; i < ops.get().size(); i++) {
                Op op = ops.get().get(i);
                assertThat(server.client().get("/op/" + i).body()).as(op.name())
                        .isEqualTo("loop " + (op.fails() ? "failed" : "ok"));
            }
            assertThat(loaderThread.get()).as("the loader runs on the caller's loop").doesNotContain("lettuce")
                    .isNotEqualTo(Thread.currentThread().getName());

            // Off the loops (a job, a start-up task): the offload pool, never Lettuce's threads.
            Cache<String> cache = installed.get().cache("threads", String.class);
            AtomicReference<String> offLoop = new AtomicReference<>();
            CompletableFuture<String> source = new CompletableFuture<>();
            CompletableFuture<String> loaded = cache.getOrLoad("off-" + backend, () -> source, Duration.ofMinutes(1))
                    .whenComplete((value, failure) -> offLoop.set(Thread.currentThread().getName()))
                    .toCompletableFuture();
            elsewhere.execute(() -> source.complete("v")); // completes on a foreign thread
            assertThat(loaded.join()).isEqualTo("v");
            assertThat(offLoop.get()).startsWith("spindle-offload-");
        }
    }
}
