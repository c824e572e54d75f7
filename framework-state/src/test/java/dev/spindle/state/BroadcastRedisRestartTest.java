package dev.spindle.state;

import static dev.spindle.state.BroadcastDeliveryContract.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.core.Config;
import dev.spindle.test.redis.RedisExtension;
import dev.spindle.test.redis.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three instances on one Redis, each publishing and subscribing, while Redis is killed and
 * restarted under them: what each subscriber lost or got twice is measured and printed.
 */
class BroadcastRedisRestartTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.ownServer(true); // AOF, fsync on every write

    private static final int PER_PUBLISHER = 300;
    private static final String TOPIC = "room";

    /** One instance: its state, what it published (message to outcome) and what it received, in order. */
    private record Instance(int index, State state, EventExecutor loop, Map<String, Boolean> published,
                            List<String> received) {}

    private static RedisServer process() {
        return redis.server().orElseThrow();
    }

    @Test
    void threeInstancesKeepExchangingMessagesAcrossARedisRestartWithoutLossOrDuplicates() throws Exception {
        Config config = Config.builder().set("redis.url", redis.url()).set("redis.key-prefix", Fixtures.uniquePrefix())
                .build();
        List<Instance> instances = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                EventExecutor loop = new DefaultEventExecutor(new DefaultThreadFactory("instance-" + i));
                Instance instance = new Instance(i, State.create(config, new SimpleMeterRegistry(), () -> loop), loop,
                        new ConcurrentHashMap<>(), new CopyOnWriteArrayList<>());
                instances.add(instance);
                await().atMost(Duration.ofSeconds(30)).until(() -> instance.state().redis().orElseThrow().isConnected());
                join(instance.state().broadcaster().subscribe(TOPIC, instance.received()::add).active());
            }
            AtomicInteger acknowledged = new AtomicInteger();
            List<Thread> publishers = new ArrayList<>();
            for (Instance instance : instances) {
                Thread publisher = new Thread(() -> publish(instance, acknowledged), "publisher-" + instance.index());
                publishers.add(publisher);
                publisher.start();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.get() >= PER_PUBLISHER);
            process().kill(); // mid-stream: about a third published
            await().atMost(Duration.ofSeconds(30)).until(() -> instances.stream()
                    .noneMatch(instance -> instance.state().redis().orElseThrow().isConnected()));
            process().restart();
            for (Thread publisher : publishers) {
                publisher.join(TimeUnit.MINUTES.toMillis(3));
            }
            for (Instance instance : instances) {
                join(instance.state().broadcaster().publish(TOPIC, "end-" + instance.index()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> instances.stream().allMatch(instance ->
                    instance.received().containsAll(List.of("end-0", "end-1", "end-2"))));
            report(instances);
        } finally {
            if (!process().isRunning()) {
                process().restart();
            }
            for (Instance instance : instances) {
                instance.state().close();
                instance.loop().shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
        }
    }

    /** Publishes one message after another; after a failure, waits for Redis like a client backing off. */
    private static void publish(Instance instance, AtomicInteger acknowledged) {
        RedisConnection connection = instance.state().redis().orElseThrow();
        for (int i = 0; i < PER_PUBLISHER; i++) {
            String message = "p" + instance.index() + "-" + i;
            boolean stored = instance.state().broadcaster().publish(TOPIC, message).handle((ok, failure) -> failure == null)
                    .toCompletableFuture().join();
            instance.published().put(message, stored);
            if (stored) {
                acknowledged.incrementAndGet();
            } else {
                await().atMost(Duration.ofSeconds(60)).until(connection::isConnected);
            }
        }
    }

    private static void report(List<Instance> instances) {
        Map<String, Boolean> published = new ConcurrentHashMap<>();
        instances.forEach(instance -> published.putAll(instance.published()));
        long failed = published.values().stream().filter(stored -> !stored).count();
        System.out.printf("[broadcast-restart] published %d across 3 instances: %d acknowledged, %d failed (in doubt)%n",
                published.size(), published.size() - failed, failed);
        for (Instance instance : instances) {
            Map<String, Integer> counts = new ConcurrentHashMap<>();
            instance.received().forEach(message -> counts.merge(message, 1, Integer::sum));
            long lost = published.entrySet().stream().filter(e -> e.getValue() && !counts.containsKey(e.getKey())).count();
            long duplicated = counts.values().stream().filter(count -> count > 1).count();
            long inDoubtDelivered = published.entrySet().stream()
                    .filter(e -> !e.getValue() && counts.containsKey(e.getKey())).count();
            System.out.printf("[broadcast-restart] subscriber on instance %d: received %d, lost %d, duplicated %d, "
                    + "failed-but-delivered %d%n", instance.index(), instance.received().size(), lost, duplicated,
                    inDoubtDelivered);
            assertThat(lost).as("acknowledged messages lost by instance %d", instance.index()).isZero();
            assertThat(duplicated).as("messages received twice by instance %d", instance.index()).isZero();
            for (int publisher = 0; publisher < 3; publisher++) {
                String from = "p" + publisher + "-";
                List<Integer> order = instance.received().stream().filter(message -> message.startsWith(from))
                        .map(message -> Integer.parseInt(message.substring(from.length()))).toList();
                assertThat(order).as("order of publisher %d's messages on instance %d", publisher, instance.index())
                        .isSorted();
            }
        }
    }
}
