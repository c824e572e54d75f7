package dev.spindle.state;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.core.Config;
import dev.spindle.core.Deadline;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import dev.spindle.test.redis.RedisExtension;
import dev.spindle.test.redis.RedisServer;
import io.lettuce.core.KillArgs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis killed, hung and restarted under an app: 503s while it is away, recovery without a restart. */
class RedisOutageTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.ownServer(true);

    private static RedisServer process() {
        return redis.server().orElseThrow();
    }

    private static TestServer app(String... settings) {
        TestServer.Builder builder = TestServer.builder().set("redis.url", redis.url())
                .set("redis.key-prefix", Fixtures.uniquePrefix()).set("http.request-deadline", "5s");
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        return builder.start(app -> SessionRoutes.install(app, store -> { }));
    }

    /** A session holding user ada, its id; retried, since a busy machine may miss a short command timeout. */
    private static String login(TestServer server) {
        java.util.concurrent.atomic.AtomicReference<TestResponse> login = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            login.set(server.client().post("/s/put/user/ada", ""));
            return login.get().status() == 200;
        });
        String cookie = login.get().header("Set-Cookie").orElseThrow();
        return cookie.substring(4, cookie.indexOf(';'));
    }

    private static TestResponse read(TestServer server, String sid) {
        return server.client().get("/s/get/user", "Cookie", "sid=" + sid);
    }

    @Test
    void killedRedisAnswers503OnlyWhereNeededAndTheAppRecoversWithPersistedSessions() throws Exception {
        try (TestServer server = app()) {
            String cookie = server.client().post("/s/put/user/ada", "").header("Set-Cookie").orElseThrow();
            String sid = cookie.substring(4, cookie.indexOf(';'));
            assertThat(read(server, sid)).hasStatus(200).hasBody("ada");

            Map<String, Map<Integer, AtomicInteger>> statuses = new ConcurrentHashMap<>();
            AtomicBoolean traffic = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            for (int c = 0; c < 4; c++) {
                String path = c % 2 == 0 ? "/plain" : "/s/get/user";
                clients.execute(() -> {
                    for (int i = 0; i < 5000 && traffic.get(); i++) {
                        int status = server.client().get(path, "Cookie", "sid=" + sid).status();
                        statuses.computeIfAbsent(path, p -> new ConcurrentHashMap<>())
                                .computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                });
            }

            process().kill();
            TestResponse down = read(server, sid);
            assertThat(down).isProblem(503);
            assertThat(down.problem().detail()).startsWith("Dependency unavailable"); // fast fail, not the 5 s deadline
            assertThat(down.header("Retry-After")).contains("1");
            assertThat(server.client().get("/plain")).hasStatus(200).hasBody("plain");
            // Regression: readiness failed on every instance at once, so the balancer dropped them all.
            assertThat(server.client().get("/health/ready")).hasStatus(200);
            TestResponse redisHealth = server.client().get("/health/redis");
            assertThat(redisHealth).hasStatus(503);
            assertThat(redisHealth.json().at("/checks/redis/status").asString()).isEqualTo("DOWN");

            long restarted = System.nanoTime();
            process().restart();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .until(() -> read(server, sid).status() == 200);
            long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
            System.out.println("[outage-test] service recovered " + recoveryMillis + " ms after redis-server restarted");

            assertThat(read(server, sid)).hasStatus(200).hasBody("ada"); // written before the kill, kept by AOF
            assertThat(server.client().get("/health/redis")).hasStatus(200);
            traffic.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(statuses.get("/plain").keySet()).containsOnly(200);
            assertThat(statuses.get("/s/get/user").keySet()).isSubsetOf(200, 503);
        }
    }

    @Test
    void aHungRedisAnswers503AfterTheCommandTimeoutRatherThanTheRequestDeadline() {
        try (TestServer server = app("redis.command-timeout", "300ms")) {
            String sid = login(server); // with a 300 ms command timeout, retried: the machine may be busy
            process().pause();
            try {
                TestResponse hung = read(server, sid);
                assertThat(hung).isProblem(503);
                assertThat(hung.problem().detail()).contains("did not answer within 300 ms");
                assertThat(server.client().get("/plain")).hasStatus(200);
            } finally {
                process().resume();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> read(server, sid).status() == 200);
        }
    }

    @Test
    void aSubscriberWhoseConnectionDropsMissesNoMessage() {
        String prefix = Fixtures.uniquePrefix();
        Config config = Config.builder().set("redis.url", redis.url()).set("redis.key-prefix", prefix).build();
        ExecutorService delivery = Executors.newSingleThreadExecutor();
        try (State publisher = State.create(config, new SimpleMeterRegistry(), () -> delivery);
             State subscriber = State.create(config, new SimpleMeterRegistry(), () -> delivery)) {
            List<String> received = new CopyOnWriteArrayList<>();
            subscriber.broadcaster().subscribe("events", received::add).active().toCompletableFuture().join();
            publisher.broadcaster().publish("events", "before").toCompletableFuture().join();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("before"));

            RedisConnection admin = publisher.redis().orElseThrow();
            String clients = admin.call(Deadline.none(), c -> c.clientList()).toCompletableFuture().join();
            List<Long> readers = clients.lines().filter(line -> line.contains("cmd=xread"))
                    .map(line -> Long.parseLong(line.substring(3, line.indexOf(' ')))).toList();
            assertThat(readers).isNotEmpty();
            for (long id : readers) {
                admin.call(Deadline.none(), c -> c.clientKill(KillArgs.Builder.id(id))).toCompletableFuture().join();
            }
            List<String> sent = IntStream.range(0, 50).mapToObj(i -> "m" + i).toList();
            for (String message : sent) {
                publisher.broadcaster().publish("events", message).toCompletableFuture().join();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 51);
            assertThat(received.subList(1, 51)).isEqualTo(sent);
        } finally {
            delivery.shutdownNow();
        }
    }

    // Regression: OOM (and NOAUTH) replies were bugs (500) rather than an unavailable dependency (503).
    @Test
    void aRedisOutOfMemoryAnswers503() {
        try (TestServer server = app(); RedisConnection admin = Fixtures.connect(redis.url())) {
            admin.call(c -> c.configSet("maxmemory", "1")).toCompletableFuture().join();
            try {
                TestResponse full = server.client().post("/s/put/user/ada", "");
                assertThat(full).isProblem(503);
                assertThat(full.problem().detail()).contains("OOM");
            } finally {
                admin.call(c -> c.configSet("maxmemory", "0")).toCompletableFuture().join();
            }
            assertThat(server.client().post("/s/put/user/ada", "")).hasStatus(200);
        }
    }

    // Regression: stored values went through a private mapper that ignored app.json(mapper).
    @Test
    void storedValuesUseTheAppsJsonMapper() {
        String prefix = Fixtures.uniquePrefix();
        try (TestServer server = TestServer.builder().set("redis.url", redis.url()).set("redis.key-prefix", prefix)
                .start(app -> {
                    app.json(tools.jackson.databind.json.JsonMapper.builder()
                            .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE).build());
                    Cache<Sku> skus = State.install(app).cache("skus", Sku.class);
                    app.get("/sku", ctx -> skus.forRequest(ctx).getOrLoad("A1",
                            () -> java.util.concurrent.CompletableFuture.completedFuture(new Sku("A1", 1299)),
                            Duration.ofMinutes(1)).thenApply(dev.spindle.http.Response::json));
                });
             RedisConnection admin = Fixtures.connect(redis.url(), prefix)) {
            assertThat(server.client().get("/sku")).hasStatus(200);
            String key = admin.call(c -> c.keys(prefix + "cache:skus:v1:{*")).toCompletableFuture().join().get(0);
            assertThat(admin.call(c -> c.get(key)).toCompletableFuture().join()).contains("\"sku_code\":\"A1\"");
        }
    }

    /** A value whose JSON shows which mapper wrote it. */
    record Sku(String skuCode, int cents) {}

    @Test
    void redisJoinsReadinessOnlyWhenAsked() {
        try (TestServer server = app("redis.readiness", "true")) {
            assertThat(server.client().get("/health/ready")).hasStatus(200);
            process().kill();
            TestResponse ready = server.client().get("/health/ready");
            assertThat(ready).hasStatus(503);
            assertThat(ready.json().at("/checks/redis/status").asString()).isEqualTo("DOWN");
        } finally {
            process().restart();
        }
    }

    // Regression: a Redis that stops answering without closing the socket was noticed only by TCP, minutes later.
    @Test
    void aConnectionThatStopsAnsweringIsReplacedAndCallsFailFastMeanwhile() {
        try (TestServer server = app("redis.command-timeout", "300ms")) {
            String sid = login(server); // with a 300 ms command timeout, retried: the machine may be busy
            process().pause();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    TestResponse response = read(server, sid);
                    return response.status() == 503 && response.problem().detail().contains("stopped answering");
                });
            } finally {
                process().resume();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> read(server, sid).status() == 200);
            assertThat(read(server, sid)).hasBody("ada");
        }
    }

    @Test
    void connectionsProbeThePeerAndAbortUnacknowledgedWrites() {
        try (RedisConnection connection = Fixtures.connect(redis.url())) {
            io.lettuce.core.SocketOptions socket = dev.spindle.state.internal.LettuceConnection.of(connection)
                    .clientOptions().getSocketOptions();
            assertThat(socket.isKeepAlive()).isTrue();
            assertThat(socket.getKeepAlive().getIdle()).isEqualTo(Duration.ofSeconds(5));
            assertThat(socket.getKeepAlive().getInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(socket.getKeepAlive().getCount()).isEqualTo(3);
            assertThat(socket.getTcpUserTimeout().isEnabled()).isTrue();
            assertThat(socket.getTcpUserTimeout().getTcpUserTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(io.netty.channel.epoll.Epoll.isAvailable()).as("epoll applies TCP_USER_TIMEOUT").isTrue();
        }
    }

    @Test
    void startsBeforeRedisAndConnectsWhenItArrives() {
        process().kill();
        try (TestServer server = app()) {
            assertThat(server.client().get("/s/get/user", "Cookie", "sid=" + dev.spindle.state.internal.SessionIds.next()))
                    .isProblem(503);
            assertThat(server.client().get("/plain")).hasStatus(200);
            process().restart();
            await().atMost(Duration.ofSeconds(15)).until(() -> server.client().post("/s/put/user/ada", "").status() == 200);
        } finally {
            if (!process().isRunning()) {
                process().restart();
            }
        }
    }
}
