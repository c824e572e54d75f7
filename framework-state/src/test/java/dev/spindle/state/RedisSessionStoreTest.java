package dev.spindle.state;

import dev.spindle.test.redis.RedisExtension;
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
}
