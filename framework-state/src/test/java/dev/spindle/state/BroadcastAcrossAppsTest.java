package dev.spindle.state;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.TestServer;
import dev.spindle.test.redis.RedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two app instances on one Redis: a message published through one reaches subscribers on both. */
class BroadcastAcrossAppsTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private static TestServer instance(String prefix, List<String> received, List<String> threads) {
        return TestServer.builder().set("redis.url", redis.url()).set("redis.key-prefix", prefix).start(app -> {
            State state = State.install(app);
            state.broadcaster().subscribe("chat", message -> {
                received.add(message);
                threads.add(Thread.currentThread().getName());
            }).active().toCompletableFuture().join();
            app.post("/publish/{message}", ctx -> {
                Thread caller = Thread.currentThread();
                return state.broadcaster().publish("chat", ctx.pathParam("message"))
                        .thenApply(done -> Response.empty(Thread.currentThread() == caller ? 204 : 500));
            });
        });
    }

    @Test
    void aMessagePublishedOnOneInstanceReachesSubscribersOnBothOnTheirEventLoops() { // and publish resumes on the caller's
        String prefix = Fixtures.uniquePrefix();
        List<String> firstReceived = new CopyOnWriteArrayList<>();
        List<String> secondReceived = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (TestServer first = instance(prefix, firstReceived, threads);
             TestServer second = instance(prefix, secondReceived, threads)) {
            assertThat(first.client().post("/publish/hello", "")).hasStatus(204);
            assertThat(second.client().post("/publish/world", "")).hasStatus(204);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> firstReceived.size() == 2 && secondReceived.size() == 2);
            assertThat(firstReceived).containsExactly("hello", "world");
            assertThat(secondReceived).containsExactly("hello", "world");
            assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("spindle-loop"));
        }
    }

    // Regression: a subscription made before start() (as the docs show) got a message before the loops
    // existed; its executor threw and the reader stopped for good, for every topic of the instance.
    @Test
    void aSubscriptionMadeBeforeStartGetsWhatWasPublishedBeforeAndAfter() {
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (TestServer server = TestServer.builder().set("redis.url", redis.url())
                .set("redis.key-prefix", Fixtures.uniquePrefix()).start(app -> {
                    State state = State.install(app);
                    state.broadcaster().subscribe("news", message -> {
                        received.add(message);
                        threads.add(Thread.currentThread().getName());
                    }).active().toCompletableFuture().join();
                    state.broadcaster().publish("news", "early").toCompletableFuture().join();
                    app.post("/publish/{message}", ctx -> state.broadcaster().publish("news", ctx.pathParam("message"))
                            .thenApply(done -> Response.empty(204)));
                })) {
            assertThat(server.client().post("/publish/late", "")).hasStatus(204);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
            assertThat(received).containsExactly("early", "late");
            assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("spindle-loop"));
        }
    }
}
