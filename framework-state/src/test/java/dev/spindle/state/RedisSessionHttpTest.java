package dev.spindle.state;

import static dev.spindle.test.SpindleAssertions.assertThat;

import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import dev.spindle.test.redis.RedisExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisSessionHttpTest extends SessionHttpContract {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private final String prefix = Fixtures.uniquePrefix();

    @Override
    protected Map<String, String> storeSettings() {
        return Map.of("redis.url", redis.url(), "redis.key-prefix", prefix);
    }

    @Test
    void redisLatenciesSessionsAndTheConnectionStateReachTheMetricsEndpoint() {
        TestServer server = server();
        server.client().post("/s/put/user/ada", "");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                org.assertj.core.api.Assertions.assertThat(server.client().get("/metrics").body())
                        .contains("lettuce_command_completion_seconds", "spindle_redis_connected 1.0",
                                "spindle_sessions_new_total 1.0"));
    }

    @Test
    void aSessionWrittenOnOneInstanceIsReadOnAnother() {
        TestServer one = server();
        TestServer two = server();
        String cookie = one.client().post("/s/put/user/ada", "").header("Set-Cookie").orElseThrow();
        String sid = cookie.substring(4, cookie.indexOf(';'));
        assertThat(two.client().get("/s/get/user", "Cookie", "sid=" + sid)).hasStatus(200).hasBody("ada");
    }

    @Test
    void cookiesSignedWithARetiredKeyStillVerifyDuringRotation() {
        String oldKey = "the-old-signing-key-0001";
        TestServer before = server("session.signing-keys", oldKey);
        String cookie = before.client().post("/s/put/user/ada", "").header("Set-Cookie").orElseThrow();
        String value = cookie.substring(4, cookie.indexOf(';'));
        TestServer after = server("session.signing-keys", "the-new-signing-key-0002," + oldKey);
        TestResponse read = after.client().get("/s/get/user", "Cookie", "sid=" + value);
        assertThat(read).hasStatus(200).hasBody("ada");
        TestServer retired = server("session.signing-keys", "the-new-signing-key-0002");
        assertThat(retired.client().get("/s/get/user", "Cookie", "sid=" + value)).hasStatus(404);
        // Regression: a cookie verified by a retired key was never re-issued, so users fell out at its removal.
        String reissued = read.header("Set-Cookie").orElseThrow();
        String newValue = reissued.substring(4, reissued.indexOf(';'));
        org.assertj.core.api.Assertions.assertThat(newValue).isNotEqualTo(value).startsWith(value.substring(0, value.indexOf('.')));
        assertThat(retired.client().get("/s/get/user", "Cookie", "sid=" + newValue)).hasStatus(200).hasBody("ada");
        org.assertj.core.api.Assertions.assertThat(after.client().get("/s/get/user", "Cookie", "sid=" + newValue)
                .header("Set-Cookie")).isEmpty();
    }
}
