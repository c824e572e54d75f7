package dev.spindle.state;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With Redis gone the limiter follows its policy: open (the default, counted) or closed (503). */
class RateLimitRedisDownTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.ownServer(false);

    @Test
    void failsOpenByDefaultAndClosedWhenAsked() {
        try (TestServer server = TestServer.start(app -> {
            RedisConnection connection = RedisConnection.connect(RedisOptions.of(redis.url())
                    .keyPrefix(Fixtures.uniquePrefix()), new SimpleMeterRegistry());
            app.closeOnStop(connection);
            RateLimiter limiter = RateLimiter.redis(connection, Rate.of("down", 100, Duration.ofMinutes(1)),
                    new MutableClock());
            app.get("/open", RouteOptions.builder().use(RateLimit.builder(limiter, app.meterRegistry()).build()).build(),
                    ctx -> Response.text("served").completed());
            app.get("/closed", RouteOptions.builder().use(RateLimit.builder(limiter, app.meterRegistry())
                    .failClosed().build()).build(), ctx -> Response.text("served").completed());
        })) {
            assertThat(server.client().get("/open").header("RateLimit")).isPresent();
            redis.server().orElseThrow().kill();

            TestResponse open = server.client().get("/open");
            TestResponse closed = server.client().get("/closed");

            assertThat(open).hasStatus(200).hasBody("served");
            assertThat(open.header("RateLimit")).isEmpty();
            assertThat(closed).isProblem(503);
            assertThat(closed.header("Retry-After")).contains("1");
            assertThat(server.app().meterRegistry().get("spindle.ratelimit.unavailable").tag("policy", "open")
                    .counter().count()).isEqualTo(1.0);
            assertThat(server.app().meterRegistry().get("spindle.ratelimit.unavailable").tag("policy", "closed")
                    .counter().count()).isEqualTo(1.0);
        }
    }
}
