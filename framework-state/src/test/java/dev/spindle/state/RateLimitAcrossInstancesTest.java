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
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two instances on one Redis share each client's allowance: the limit holds whichever instance answers. */
class RateLimitAcrossInstancesTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    static final MutableClock clock = new MutableClock();
    static final String prefix = Fixtures.uniquePrefix();
    static TestServer first;
    static TestServer second;

    @BeforeAll
    static void start() {
        first = instance();
        second = instance();
    }

    private static TestServer instance() {
        return TestServer.builder().set("http.trusted-proxies", "loopback").start(app -> {
            RedisConnection connection = RedisConnection.connect(RedisOptions.of(redis.url()).keyPrefix(prefix),
                    new SimpleMeterRegistry());
            app.closeOnStop(connection);
            RateLimiter logins = RateLimiter.redis(connection, Rate.of("login", 4, Duration.ofMinutes(1)), clock);
            app.post("/login", RouteOptions.builder().use(RateLimit.builder(logins, app.meterRegistry()).build()).build(),
                    ctx -> Response.text("welcome").completed());
            RateLimiter apiCalls = RateLimiter.redis(connection, Rate.of("api", 1, Duration.ofHours(1)), clock);
            app.get("/api", RouteOptions.builder().use(RateLimit.builder(apiCalls, app.meterRegistry())
                    .key(ctx -> ctx.header("X-Api-Key")).build()).build(), ctx -> Response.text("data").completed());
        });
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
    }

    private static TestResponse login(TestServer server, String client) {
        return server.client().post("/login", "{}", "X-Forwarded-For", client);
    }

    @Test
    void theLimitHoldsAcrossInstancesAndTellsTheClientWhenToComeBack() {
        for (int i = 0; i < 4; i++) {
            TestResponse allowed = login(i % 2 == 0 ? first : second, "198.51.100.1");
            assertThat(allowed).hasStatus(200);
            assertThat(allowed.header("RateLimit")).contains("\"login\";r=" + (3 - i) + ";t=" + (15 * (i + 1)));
        }

        TestResponse refusedHere = login(first, "198.51.100.1");
        TestResponse refusedThere = login(second, "198.51.100.1");

        assertThat(refusedHere).isProblem(429);
        assertThat(refusedHere.header("Retry-After")).contains("15");
        assertThat(refusedHere.header("RateLimit-Policy")).contains("\"login\";q=4;w=60");
        assertThat(refusedHere.header("RateLimit")).contains("\"login\";r=0;t=60");
        assertThat(refusedThere).isProblem(429);

        assertThat(login(second, "198.51.100.2")).hasStatus(200);
        clock.advance(Duration.ofSeconds(15));
        assertThat(login(second, "198.51.100.1")).hasStatus(200);
        assertThat(login(first, "198.51.100.1")).isProblem(429);
    }

    @Test
    void aKeyFunctionCountsPerApiKeyAndSkipsRequestsWithoutOne() {
        assertThat(first.client().get("/api", "X-Api-Key", "k1")).hasStatus(200);
        assertThat(second.client().get("/api", "X-Api-Key", "k1")).isProblem(429);
        assertThat(second.client().get("/api", "X-Api-Key", "k2")).hasStatus(200);
        assertThat(first.client().get("/api")).hasStatus(200);
        assertThat(first.client().get("/api").header("RateLimit")).isEqualTo(Optional.empty());
    }
}
