package dev.spindle.state;

import static org.awaitility.Awaitility.await;

import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit against Redis: two instances, each with its own connection, kept for the whole class. */
class RedisBroadcasterTest extends BroadcasterContract {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private static final List<RedisConnection> connections = new ArrayList<>();
    private final List<Broadcaster> open = new ArrayList<>();

    @BeforeAll
    static void connect() {
        String prefix = Fixtures.uniquePrefix();
        for (int i = 0; i < 2; i++) {
            RedisConnection connection = Fixtures.connect(redis.url(), prefix);
            connections.add(connection);
            await().atMost(Duration.ofSeconds(30)).until(connection::isConnected);
        }
    }

    @AfterAll
    static void disconnect() {
        connections.forEach(RedisConnection::close);
        connections.clear();
    }

    @Override
    protected List<Broadcaster> pair(BroadcastOptions options, Supplier<Executor> executors) {
        List<Broadcaster> pair = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Broadcaster broadcaster = Broadcaster.redis(connections.get(i), options, executors,
                    i == 0 ? new SimpleMeterRegistry() : registry);
            open.add(broadcaster);
            pair.add(broadcaster);
        }
        return pair;
    }

    @AfterEach
    void close() {
        open.forEach(Broadcaster::close);
    }
}
