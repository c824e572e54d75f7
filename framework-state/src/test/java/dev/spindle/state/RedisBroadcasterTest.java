package dev.spindle.state;

import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisBroadcasterTest extends BroadcasterContract {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private final List<AutoCloseable> open = new ArrayList<>();

    @Override
    protected List<Broadcaster> pair(BroadcastOptions options, Supplier<Executor> executors) {
        String prefix = Fixtures.uniquePrefix();
        List<Broadcaster> pair = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RedisConnection connection = Fixtures.connect(redis.url(), prefix);
            Broadcaster broadcaster = Broadcaster.redis(connection, options, executors,
                    i == 0 ? new SimpleMeterRegistry() : registry);
            open.add(connection);
            open.add(broadcaster);
            pair.add(broadcaster);
        }
        return pair;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
