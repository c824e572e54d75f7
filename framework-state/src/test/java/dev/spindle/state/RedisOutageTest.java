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
            TestResponse ready = server.client().get("/health/ready");
            assertThat(ready).hasStatus(503);
            assertThat(ready.json().at("/checks/redis/status").asString()).isEqualTo("DOWN");

            long restarted = System.nanoTime();
            process().restart();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .until(() -> read(server, sid).status() == 200);
            long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
            System.out.println("[outage-test] service recovered " + recoveryMillis + " ms after redis-server restarted");

            assertThat(read(server, sid)).hasStatus(200).hasBody("ada"); // written before the kill, kept by AOF
            assertThat(server.client().get("/health/ready")).hasStatus(200);
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
            String cookie = server.client().post("/s/put/user/ada", "").header("Set-Cookie").orElseThrow();
            String sid = cookie.substring(4, cookie.indexOf(';'));
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
