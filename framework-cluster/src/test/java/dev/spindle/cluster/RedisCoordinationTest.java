package dev.spindle.cluster;

import dev.spindle.state.RedisConnection;
import dev.spindle.state.RedisOptions;
import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis keeps the registry's and the election's promises, each instance on its own connection. */
class RedisCoordinationTest extends CoordinationContract {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private final String prefix = "test-" + UUID.randomUUID() + ":";
    private final List<RedisConnection> connections = new ArrayList<>();

    @Override
    CoordinationStore store() {
        // A long command timeout: a busy CI machine must not fail the first heartbeat, which only the clock retries.
        RedisConnection connection = RedisConnection.connect(RedisOptions.of(redis.url()).keyPrefix(prefix)
                        .commandTimeout(Duration.ofSeconds(5)),
                new SimpleMeterRegistry());
        connections.add(connection);
        return CoordinationStore.redis(connection);
    }

    @AfterEach
    void closeConnections() {
        connections.forEach(RedisConnection::close);
    }
}
