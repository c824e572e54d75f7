package dev.spindle.state;

import static org.awaitility.Awaitility.await;

import dev.spindle.state.jobs.Jobs;
import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The jobs kit against Redis: each instance has its own connection and broadcaster, as separate processes would. */
class RedisJobsTest extends JobsContract {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.shared();

    private static final List<RedisConnection> connections = new ArrayList<>();
    private static String prefix;
    private final List<Broadcaster> broadcasters = new ArrayList<>();

    @BeforeAll
    static void connect() {
        prefix = Fixtures.uniquePrefix();
        for (int i = 0; i < 4; i++) {
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
    protected Jobs instance(StateClock clock, MeterRegistry registry) {
        RedisConnection connection = connections.get(broadcasters.size() % connections.size());
        Broadcaster broadcaster = Broadcaster.redis(connection, BroadcastOptions.defaults(), () -> pool, registry);
        broadcasters.add(broadcaster);
        return track(Jobs.builder().redis(connection).broadcaster(broadcaster).clock(clock).executor(pool)
                .registry(registry).build());
    }

    @AfterEach
    void closeBroadcasters() {
        broadcasters.forEach(Broadcaster::close);
    }
}
