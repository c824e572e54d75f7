package dev.spindle.state;

import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisCacheTest extends CacheContract {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private static RedisConnection connection;

    @BeforeAll
    static void connect() {
        connection = Fixtures.connect(redis.url());
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Override
    protected <V> Cache<V> cache(CacheOptions<V> options, MeterRegistry registry) {
        return Cache.redis(connection, options, registry);
    }
}
