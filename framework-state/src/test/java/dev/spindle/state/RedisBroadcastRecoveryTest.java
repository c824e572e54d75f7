package dev.spindle.state;

import static dev.spindle.state.BroadcastDeliveryContract.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.spindle.core.Deadline;
import dev.spindle.http.HealthCheck;
import dev.spindle.test.redis.RedisExtension;
import dev.spindle.test.redis.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis broadcaster through outages, lost replies and second copies, on a Redis of its own. */
class RedisBroadcastRecoveryTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.ownServer(true);

    private final EventExecutor delivery = new DefaultEventExecutor(new DefaultThreadFactory("delivery"));
    private final List<AutoCloseable> open = new ArrayList<>();
    private final String prefix = Fixtures.uniquePrefix();

    @AfterEach
    void closeAll() throws Exception {
        if (!process().isRunning()) {
            process().restart();
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        delivery.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    private static RedisServer process() {
        return redis.server().orElseThrow();
    }

    private RedisConnection connect(RedisOptions options) {
        RedisConnection connection = RedisConnection.connect(options.keyPrefix(prefix), new SimpleMeterRegistry());
        open.add(connection);
        await().atMost(Duration.ofSeconds(30)).until(connection::isConnected);
        return connection;
    }

    private Broadcaster broadcaster(RedisConnection connection, MeterRegistry registry) {
        Broadcaster broadcaster = Broadcaster.redis(connection, BroadcastOptions.defaults(), () -> delivery, registry);
        open.add(broadcaster);
        return broadcaster;
    }

    private static String streamKey(RedisConnection connection, String topic) {
        return connection.key("broadcast:{broadcast}:" + topic);
    }

    // Regression: subscribe needed Redis; while it was down the stage failed and nothing retried it.
    @Test
    void subscribingWhileRedisIsDownDeliversOnceItIsBack() {
        RedisConnection connection = connect(RedisOptions.of(redis.url()));
        Broadcaster broadcaster = broadcaster(connection, new SimpleMeterRegistry());
        process().kill();
        List<String> received = new CopyOnWriteArrayList<>();
        Subscription subscription = broadcaster.subscribe("news", delivery, received::add);
        assertThat(subscription.active().toCompletableFuture()).isNotDone();
        process().restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> subscription.active().toCompletableFuture().isDone());
        await().atMost(Duration.ofSeconds(30)).until(connection::isConnected);
        join(broadcaster.publish("news", "back"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("back"));
        assertThat(received).containsExactly("back");
    }

    // Regression: topic streams never expired, so every topic ever published to stayed in Redis.
    @Test
    void aTopicStreamExpiresAfterItsLastMessage() {
        RedisConnection connection = connect(RedisOptions.of(redis.url()));
        Broadcaster broadcaster = Broadcaster.redis(connection, BroadcastOptions.defaults()
                .streamTtl(Duration.ofMinutes(10)), () -> delivery, new SimpleMeterRegistry());
        open.add(broadcaster);
        join(broadcaster.publish("room:42", "hello"));
        long ttl = join(connection.call(Deadline.none(), c -> c.pttl(streamKey(connection, "room:42"))));
        assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10).toMillis());
    }

    // Regression: the javadoc said a failed publish reached no one; one whose reply is lost was stored.
    @Test
    void aPublishWhoseReplyIsLostFailsInDoubtAndIsDeliveredExactlyOnce() {
        RedisConnection direct = connect(RedisOptions.of(redis.url()));
        Broadcaster subscriber = broadcaster(direct, new SimpleMeterRegistry());
        List<String> received = new CopyOnWriteArrayList<>();
        join(subscriber.subscribe("orders", delivery, received::add).active());
        try (ReplyDroppingProxy proxy = new ReplyDroppingProxy(process().port())) {
            RedisConnection viaProxy = connect(RedisOptions.of(proxy.url()).commandTimeout(Duration.ofSeconds(30)));
            Broadcaster publisher = broadcaster(viaProxy, new SimpleMeterRegistry());
            proxy.dropReplies(true);
            List<CompletableFuture<Void>> publishes = IntStream.range(0, 20)
                    .mapToObj(i -> publisher.publish("orders", "o" + i).toCompletableFuture()).toList();
            await().atMost(Duration.ofSeconds(30)).until(() -> join(direct.call(Deadline.none(),
                    c -> c.xlen(streamKey(direct, "orders")))) == 20); // Redis ran them all; the replies are gone
            proxy.dropReplies(false);
            proxy.cutConnections();
            for (CompletableFuture<Void> publish : publishes) {
                assertThat(catchThrowable(publish::join)).hasCauseInstanceOf(StateUnavailableException.class)
                        .hasMessageContaining("may still be delivered, once");
            }
            await().atMost(Duration.ofSeconds(30)).until(viaProxy::isConnected);
            join(publisher.publish("orders", "last"));
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("last"));
            publisher.close();
            viaProxy.close(); // before the proxy, so that it does not keep reconnecting to a closed port
        }
        List<String> expected = new ArrayList<>(IntStream.range(0, 20).mapToObj(i -> "o" + i).toList());
        expected.add("last");
        assertThat(received).isEqualTo(expected);
    }

    @Test
    void theReaderDropsASecondCopyOfAMessage() {
        RedisConnection connection = connect(RedisOptions.of(redis.url()));
        MeterRegistry registry = new SimpleMeterRegistry();
        Broadcaster broadcaster = broadcaster(connection, registry);
        List<String> received = new CopyOnWriteArrayList<>();
        join(broadcaster.subscribe("feed", delivery, received::add).active());
        String key = streamKey(connection, "feed");
        // As a client would store them if it re-sent an XADD after a reconnect, and one from an older version.
        for (String[] entry : List.of(new String[] {"a", "1"}, new String[] {"a", "1"}, new String[] {"b", "2"})) {
            join(connection.call(Deadline.none(), c -> c.xadd(key, "m", entry[0], "p", "other-instance", "s", entry[1])));
        }
        join(connection.call(Deadline.none(), c -> c.xadd(key, "m", "unstamped")));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("unstamped"));
        assertThat(received).containsExactly("a", "b", "unstamped");
        assertThat(registry.get("spindle.broadcast.duplicates").counter().count()).isEqualTo(1);
    }

    @Test
    void theReaderReportsItsOutageAndHealsWhenRedisReturns() {
        MockClock clock = new MockClock();
        MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        RedisConnection connection = connect(RedisOptions.of(redis.url()));
        Broadcaster broadcaster = broadcaster(connection, registry);
        List<String> received = new CopyOnWriteArrayList<>();
        join(broadcaster.subscribe("alerts", delivery, received::add).active());
        assertThat(health(broadcaster).healthy()).isTrue();

        process().kill();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> registry.get("spindle.broadcast.reader.failures").counter().count() > 0);
        clock.add(Duration.ofSeconds(10));
        HealthCheck.Result down = health(broadcaster);
        assertThat(down.healthy()).isFalse();
        assertThat(down.detail()).contains("broadcast reader has not read Redis for 10");
        assertThat(registry.get("spindle.broadcast.reader.read.age").gauge().value()).isGreaterThanOrEqualTo(10);

        process().restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> health(broadcaster).healthy());
        assertThat(registry.get("spindle.broadcast.reader.read.age").gauge().value()).isLessThan(1);
        await().atMost(Duration.ofSeconds(30)).until(connection::isConnected);
        join(broadcaster.publish("alerts", "recovered"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("recovered"));
    }

    private static HealthCheck.Result health(Broadcaster broadcaster) {
        return join(broadcaster.healthCheck().check());
    }
}
