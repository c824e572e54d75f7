package dev.spindle.sample.users;

import dev.spindle.state.RedisConnection;
import dev.spindle.state.RedisOptions;
import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/** The users in a real Redis, each test under its own key prefix. */
class RedisUserRepositoryTest extends UserRepositoryContract {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private RedisConnection connection;

    @Override
    UserRepository repository() {
        connection = RedisConnection.connect(RedisOptions.of(redis.url()).keyPrefix(uniquePrefix()),
                new SimpleMeterRegistry());
        return UserRepository.redis(connection, JsonMapper.builder().build());
    }

    @AfterEach
    void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
