package dev.spindle.state;

import dev.spindle.test.redis.RedisExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisRateLimiterTest extends RateLimiterContract {

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
    protected RateLimiter limiter(Rate rate) {
        return RateLimiter.redis(connection, rate, clock);
    }
}
