package dev.spindle.state;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.Config;
import dev.spindle.http.Response;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StateInstallTest {

    @Test
    void withoutARedisUrlTheInMemoryTwinsServe() {
        AtomicReference<State> installed = new AtomicReference<>();
        try (TestServer server = TestServer.start(app -> {
            State state = State.install(app);
            installed.set(state);
            app.use(state.sessions());
            Cache<String> cache = state.cache("greetings", String.class);
            app.get("/greet/{name}", ctx -> cache.forRequest(ctx).getOrLoad(ctx.pathParam("name"),
                    () -> java.util.concurrent.CompletableFuture.completedFuture("hello " + ctx.pathParam("name")),
                    Duration.ofMinutes(1)).thenApply(Response::text));
        })) {
            assertThat(installed.get().distributed()).isFalse();
            assertThat(installed.get().redis()).isEmpty();
            assertThat(server.client().get("/greet/ada")).hasStatus(200).hasBody("hello ada");
            assertThat(server.client().get("/health/ready")).hasStatus(200);
        }
    }

    @Test
    void aCacheNameIsBoundToOneValueType() {
        try (State state = State.create(Config.builder().build(), new SimpleMeterRegistry(), () -> Runnable::run)) {
            assertThat(state.cache("c", String.class)).isSameAs(state.cache("c", String.class));
            assertThatThrownBy(() -> state.cache("c", Integer.class))
                    .hasMessage("cache 'c' holds java.lang.String (expected: java.lang.Integer)");
        }
    }

    @Test
    void anUnreachableRedisDoesNotStopStartUpNorReadinessAndAnswers503WhereNeeded() {
        try (TestServer server = TestServer.builder().set("redis.url", "redis-cluster://127.0.0.1:1,127.0.0.1:2")
                .set("redis.connect-timeout", "200ms").start(app -> {
                    State state = State.install(app);
                    app.use(state.sessions());
                    app.get("/me", ctx -> Session.of(ctx).thenApply(session -> Response.text(session.id())));
                })) {
            assertThat(server.client().get("/health/ready")).hasStatus(200);
            TestResponse redis = server.client().get("/health/redis");
            assertThat(redis).hasStatus(503);
            assertThat(redis.json().at("/checks/redis/status").asString()).isEqualTo("DOWN");
            TestResponse me = server.client().get("/me", "Cookie", "sid=" + dev.spindle.state.internal.SessionIds.next());
            assertThat(me).isProblem(503);
            assertThat(me.header("Retry-After")).contains("1");
        }
    }

    @Test
    void aClusterUrlWithoutNodesIsRefusedWithTheExpectedForm() {
        Config config = Config.builder().set("redis.url", "redis-cluster://").build();
        assertThatThrownBy(() -> State.create(config, new SimpleMeterRegistry(), () -> Runnable::run))
                .hasMessageContaining("expected: redis-cluster://host:port");
    }

    @Test
    void unknownSettingsStillFailButStateSettingsAreDeclared() {
        Config config = Config.builder().set("redis.url", "redis://localhost:6379").set("session.idle-timeout", "5m")
                .set("requireRedis", "true").build();
        assertThat(config.get(StateSettings.SESSION_IDLE_TIMEOUT)).isEqualTo(Duration.ofMinutes(5));
        assertThat(SessionOptions.from(Config.builder().set("session.idle-timeout", "4s").build()).touchInterval())
                .isEqualTo(Duration.ofSeconds(1));
    }
}
