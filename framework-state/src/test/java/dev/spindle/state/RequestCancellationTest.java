package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spindle.core.Cancellation;
import dev.spindle.core.Deadline;
import dev.spindle.http.Context;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Spindle;
import dev.spindle.test.RawHttp;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import dev.spindle.test.redis.RedisExtension;
import dev.spindle.test.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * State calls made for a request stop when the request is cancelled (its client left, or its
 * deadline answered 503): the stage handed to the handler fails at once, so no continuation runs
 * for a request nobody waits for, even when Redis answers afterwards; a cache load shared with
 * other waiters goes on for them. Redis is frozen with SIGSTOP to hold a call in flight.
 */
class RequestCancellationTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.ownServer(false);

    /** Continuations that ran after a call: must stay 0 for cancelled requests. */
    private final AtomicInteger continued = new AtomicInteger();
    /** Requests that reached the point where they call Redis. */
    private final AtomicInteger waiting = new AtomicInteger();

    private static RedisServer process() {
        return redis.server().orElseThrow();
    }

    @AfterEach
    void thawRedis() {
        process().resume();
    }

    private static TestServer app(Consumer<Spindle> routes) {
        return TestServer.builder().set("redis.url", redis.url()).set("redis.key-prefix", Fixtures.uniquePrefix())
                .set("redis.command-timeout", "30s").set("http.request-deadline", "60s").start(routes);
    }

    /** Sends {@code request} on its own connection, waits until it waits on Redis, then hangs up. */
    private void sendAndLeave(TestServer server, String request) {
        int before = waiting.get();
        try (RawHttp raw = RawHttp.connect(server.port())) {
            raw.send(request);
            await().atMost(Duration.ofSeconds(30)).until(() -> waiting.get() > before);
        }
    }

    /** Sends {@code request} on a connection of its own, left open until the caller closes it. */
    private static RawHttp send(TestServer server, String request) {
        return RawHttp.connect(server.port()).send(request);
    }

    /** Cache misses of {@code cache} so far: a waiter that missed has joined the key's load. */
    private static double misses(TestServer server, String cache) {
        var counter = server.app().meterRegistry().find("cache.gets").tag("cache", cache).tag("result", "miss")
                .functionCounter();
        return counter == null ? 0 : counter.count();
    }

    /** Until the server recorded {@code count} requests as abandoned by their client (499), their work cancelled. */
    private static void awaitAbandoned(TestServer server, long count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var timer = server.app().meterRegistry().find("http.server.requests").tag("status", "499").timer();
            return timer != null && timer.count() >= count;
        });
    }

    /** Redis answers again; a round trip on the same connection proves the held replies came back. */
    private static void thawAndRoundTrip(TestServer server) {
        process().resume();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.client().get("/ping").status() == 200);
    }

    private void assertNoContinuationRan() {
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> continued.get() == 0);
    }

    private static void ping(Spindle app, RedisConnection connection) {
        app.get("/ping", ctx -> connection.call(ctx, c -> c.ping()).thenApply(Response::text));
    }

    // Regression: the reply of a command sent for a request whose client had left resumed the handler.
    @Test
    void aRedisReplyForARequestWhoseClientLeftRunsNoContinuation() {
        try (TestServer server = app(app -> {
            RedisConnection connection = State.install(app).redis().orElseThrow();
            ping(app, connection);
            app.get("/incr", ctx -> {
                waiting.incrementAndGet();
                return connection.call(ctx, c -> c.incr(connection.key("visits"))).thenApply(count -> {
                    continued.incrementAndGet();
                    return Response.text("visit " + count);
                });
            });
            app.get("/visits", ctx -> connection.call(ctx, c -> c.get(connection.key("visits"))).thenApply(Response::text));
        })) {
            process().pause();
            sendAndLeave(server, "GET /incr HTTP/1.1\r\nHost: test\r\n\r\n");
            awaitAbandoned(server, 1);

            thawAndRoundTrip(server);
            // The command had been written before the client left: Redis ran it, and its reply was dropped.
            assertThat(server.client().get("/visits").body()).isEqualTo("1");
            assertNoContinuationRan();
            assertThat(server.app().meterRegistry().get("spindle.http.requests.active").gauge().value()).isZero();
        }
    }

    // Work with a cancellation of its own (a job, a batch) stops its Redis calls the same way.
    @Test
    void aCallWithItsOwnCancellationFailsAtOnceAndSendsNothingOnceCancelled() {
        try (RedisConnection connection = Fixtures.connect(redis.url())) {
            String notSent = connection.key("not-sent");
            Cancellation before = Cancellation.create();
            before.cancel();
            CompletableFuture<Long> never = connection.call(Deadline.none(), before, c -> c.incr(notSent))
                    .toCompletableFuture();
            assertThat(never).isCompletedExceptionally();
            assertThatThrownBy(never::join).isInstanceOf(CancellationException.class);

            process().pause();
            String inFlight = connection.key("in-flight");
            Cancellation during = Cancellation.create();
            CompletableFuture<Long> held = connection.call(Deadline.none(), during, c -> c.incr(inFlight))
                    .toCompletableFuture();
            assertThat(held).isNotDone();
            during.cancel();
            assertThat(held).isCancelled(); // at once, though Redis is frozen
            process().resume();

            assertThat(connection.call(c -> c.get(notSent)).toCompletableFuture().join()).isNull();
            // Written before it was cancelled (then Redis ran it, its reply dropped) or not written at all.
            assertThat(connection.call(c -> c.get(inFlight)).toCompletableFuture().join()).isIn(null, "1");
        }
    }

    // Regression: a limiter's decision that arrived after the client left still ran the handler behind it.
    @Test
    void aRateLimitDecisionForARequestWhoseClientLeftDoesNotRunTheHandler() {
        try (TestServer server = app(app -> {
            State state = State.install(app);
            ping(app, state.redis().orElseThrow());
            app.get("/limited", RouteOptions.builder()
                    .use((ctx, next) -> {
                        waiting.incrementAndGet();
                        return next.handle(ctx);
                    })
                    .use(state.rateLimit(Rate.of("cancel", 100, Duration.ofMinutes(1))).build()).build(), ctx -> {
                        continued.incrementAndGet();
                        return Response.text("through").completed();
                    });
        })) {
            process().pause();
            sendAndLeave(server, "GET /limited HTTP/1.1\r\nHost: test\r\n\r\n");
            awaitAbandoned(server, 1);

            thawAndRoundTrip(server);
            assertNoContinuationRan();
            assertThat(server.client().get("/limited").body()).isEqualTo("through");
        }
    }

    // Regression: a session that loaded after the client left let the CSRF check call the handler.
    @Test
    void aSessionLoadedForARequestWhoseClientLeftReachesNoHandler() {
        try (TestServer server = app(app -> {
            State state = State.install(app);
            ping(app, state.redis().orElseThrow());
            app.use(state.sessions());
            app.get("/csrf", ctx -> Csrf.token(ctx).thenApply(Response::text));
            app.post("/transfer", RouteOptions.builder()
                    .use((ctx, next) -> {
                        waiting.incrementAndGet();
                        return next.handle(ctx);
                    })
                    .use(Csrf.sessionToken().build()).build(), ctx -> {
                        continued.incrementAndGet();
                        return Response.text("moved").completed();
                    });
        })) {
            TestResponse page = server.client().get("/csrf");
            String cookie = page.header("Set-Cookie").orElseThrow();
            cookie = cookie.substring(0, cookie.indexOf(';'));
            String transfer = "POST /transfer HTTP/1.1\r\nHost: test\r\nCookie: " + cookie + "\r\nX-CSRF-Token: "
                    + page.body() + "\r\nContent-Length: 0\r\n\r\n";

            process().pause();
            sendAndLeave(server, transfer);
            awaitAbandoned(server, 1);

            thawAndRoundTrip(server);
            assertNoContinuationRan();
            try (RawHttp raw = RawHttp.connect(server.port())) {
                assertThat(raw.send(transfer).read().body()).isEqualTo("moved"); // the same request, not cancelled
            }
        }
    }

    // A publish made for a request is the request's: its stage fails when the client leaves.
    @Test
    void aPublishForARequestWhoseClientLeftRunsNoContinuation() {
        try (TestServer server = app(app -> {
            State state = State.install(app);
            ping(app, state.redis().orElseThrow());
            app.post("/publish", ctx -> {
                waiting.incrementAndGet();
                return state.broadcaster().publish(ctx, "prices", "1299").thenApply(done -> {
                    continued.incrementAndGet();
                    return Response.text("published");
                });
            });
        })) {
            process().pause();
            sendAndLeave(server, "POST /publish HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n");
            awaitAbandoned(server, 1);

            thawAndRoundTrip(server);
            assertNoContinuationRan();
            assertThat(server.client().post("/publish", "").body()).isEqualTo("published");
        }
    }

    // Regression: the handler's late completion after the deadline's 503 still wrote the session.
    @Test
    void aRequestAnsweredByItsDeadlineWritesNoSession() {
        CompletableFuture<Response> late = new CompletableFuture<>();
        List<CountingStore> stores = new CopyOnWriteArrayList<>();
        try (TestServer server = app(app -> {
            State state = State.install(app);
            CountingStore store = new CountingStore(state.sessionStore());
            stores.add(store);
            app.use(SessionMiddleware.create(store, SessionOptions.defaults(), app.meterRegistry()));
            app.post("/login", ctx -> Session.of(ctx).thenApply(session -> {
                session.put("user", "ada");
                return Response.text("in");
            }));
            app.post("/slow-login", RouteOptions.builder().deadline(Duration.ofSeconds(1)).build(),
                    ctx -> Session.of(ctx).thenCompose(session -> {
                        session.put("user", "ada");
                        return late;
                    }));
        })) {
            CountingStore store = stores.get(0);
            assertThat(server.client().post("/login", "").status()).isEqualTo(200);
            assertThat(store.saves).hasValue(1); // the control: a request answered in time writes its session

            TestResponse answered = server.client().post("/slow-login", "");
            assertThat(answered.status()).isEqualTo(503);
            late.complete(Response.text("too late")); // the handler finishes after its client got the 503

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> store.saves.get() == 1);
        }
    }

    // A waiter whose request is cancelled gives up alone: the shared load goes on for the others.
    @Test
    void aCacheWaiterWhoseClientLeftFailsAloneAndTheSharedLoadGoesOn() {
        List<CompletableFuture<String>> loads = new CopyOnWriteArrayList<>();
        try (TestServer server = app(app -> {
            Cache<String> cache = State.install(app).cache("shared", String.class);
            app.get("/cached/{key}", ctx -> cache.forRequest(ctx).getOrLoad(ctx.pathParam("key"), () -> {
                CompletableFuture<String> load = new CompletableFuture<>();
                loads.add(load);
                return load;
            }, Duration.ofMinutes(1)).thenApply(value -> {
                if (ctx.cancelled()) {
                    continued.incrementAndGet();
                }
                return Response.text(value);
            }));
        })) {
            CompletableFuture<TestResponse> other;
            RawHttp leaving = send(server, "GET /cached/a HTTP/1.1\r\nHost: test\r\n\r\n");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> loads.size() == 1);
                other = server.client().getAsync("/cached/a");
                await().atMost(Duration.ofSeconds(30)).until(() -> misses(server, "shared") == 2);
            } finally {
                leaving.close(); // the first waiter's client leaves
            }
            awaitAbandoned(server, 1);

            loads.get(0).complete("loaded once");
            assertThat(other.join().body()).isEqualTo("loaded once");
            assertNoContinuationRan();
            assertThat(loads).hasSize(1);
        }
    }

    // Regression: a loader built on its request's stages failed with that request, and failed every other waiter.
    @Test
    void aLoadWhoseRequestIsCancelledIsTakenOverByAWaiterStillThere() {
        List<CompletableFuture<String>> loads = new CopyOnWriteArrayList<>();
        try (TestServer server = app(app -> {
            Cache<String> cache = State.install(app).cache("takeover", String.class);
            app.get("/cached/{key}", ctx -> cache.forRequest(ctx).getOrLoad(ctx.pathParam("key"),
                    () -> loadFor(ctx, loads), Duration.ofMinutes(1)).thenApply(Response::text));
        })) {
            CompletableFuture<TestResponse> other;
            RawHttp leaving = send(server, "GET /cached/b HTTP/1.1\r\nHost: test\r\n\r\n");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> loads.size() == 1);
                other = server.client().getAsync("/cached/b");
                await().atMost(Duration.ofSeconds(30)).until(() -> misses(server, "takeover") == 2);
            } finally {
                leaving.close(); // the first waiter's client leaves
            }
            awaitAbandoned(server, 1);

            await().atMost(Duration.ofSeconds(30)).until(() -> loads.size() == 2);
            assertThat(loads.get(0)).isCancelled();
            loads.get(1).complete("loaded by the second");
            TestResponse answered = other.join();
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.body()).isEqualTo("loaded by the second");
        }
    }

    /** A loader that, like one built on {@code ctx.offload} or an outbound call, stops with its request. */
    private static CompletableFuture<String> loadFor(Context ctx, List<CompletableFuture<String>> loads) {
        CompletableFuture<String> load = new CompletableFuture<>();
        ctx.onCancel(() -> load.cancel(true));
        loads.add(load);
        return load;
    }
}
