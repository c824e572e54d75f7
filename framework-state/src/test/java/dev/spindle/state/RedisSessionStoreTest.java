package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.test.redis.RedisExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisSessionStoreTest extends SessionStoreContract {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private static RedisConnection connection;
    private static SessionStore store;

    @BeforeAll
    static void connect() {
        connection = Fixtures.connect(redis.url());
        store = SessionStore.redis(connection);
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Override
    protected SessionStore store() {
        return store;
    }

    /** Redis expires the hash itself: its TTL is what the update asked for (Redis's clock, not waited for here). */
    @Override
    protected void assertLivesFor(String id, Duration ttl) {
        long millis = connection.call(c -> c.pttl(connection.key("session:" + id))).toCompletableFuture().join();
        assertThat(millis).isPositive().isLessThanOrEqualTo(ttl.toMillis());
        assertThat(millis).isGreaterThan(ttl.toMillis() - 60_000);
    }
}
