package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The compatibility kit every {@link Broadcaster} passes: Redis and in-memory alike. */
abstract class BroadcasterContract {

    private final ExecutorService delivery = Executors.newSingleThreadExecutor();

    /** Two broadcasters that reach each other (two instances for Redis; one shared for memory). */
    protected abstract List<Broadcaster> pair(java.util.function.Supplier<java.util.concurrent.Executor> executors);

    @AfterEach
    void stopDelivery() {
        delivery.shutdownNow();
    }

    private static String topic() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void deliversToEverySubscriberInPublishingOrder() {
        List<Broadcaster> pair = pair(() -> delivery);
        String topic = topic();
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        join(pair.get(0).subscribe(topic, first::add));
        join(pair.get(1).subscribe(topic, second::add));
        List<String> sent = IntStream.range(0, 100).mapToObj(i -> "m" + i).toList();
        for (String message : sent) {
            join(pair.get(0).publish(topic, message));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 100 && second.size() == 100);
        assertThat(first).isEqualTo(sent);
        assertThat(second).isEqualTo(sent);
    }

    @Test
    void deliversOnlyTheSubscribedTopic() {
        List<Broadcaster> pair = pair(() -> delivery);
        String topic = topic();
        List<String> received = new CopyOnWriteArrayList<>();
        join(pair.get(1).subscribe(topic, received::add));
        join(pair.get(0).publish(topic(), "other"));
        join(pair.get(0).publish(topic, "mine"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("mine"));
        assertThat(received).containsExactly("mine");
    }

    @Test
    void doesNotReplayMessagesPublishedBeforeTheSubscription() {
        List<Broadcaster> pair = pair(() -> delivery);
        String topic = topic();
        join(pair.get(0).publish(topic, "before"));
        List<String> received = new CopyOnWriteArrayList<>();
        join(pair.get(1).subscribe(topic, received::add));
        join(pair.get(0).publish(topic, "after"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("after"));
        assertThat(received).containsExactly("after");
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() {
        List<Broadcaster> pair = pair(() -> delivery);
        String topic = topic();
        List<String> closed = new CopyOnWriteArrayList<>();
        List<String> open = new CopyOnWriteArrayList<>();
        Subscription subscription = join(pair.get(1).subscribe(topic, closed::add));
        join(pair.get(1).subscribe(topic, open::add));
        subscription.close();
        join(pair.get(0).publish(topic, "late"));
        await().atMost(Duration.ofSeconds(10)).until(() -> open.contains("late"));
        assertThat(closed).isEmpty();
        assertThat(subscription.topic()).isEqualTo(topic);
    }

    @Test
    void usesTheExecutorItIsGiven() {
        List<Broadcaster> pair = pair(() -> delivery);
        String topic = topic();
        List<String> threads = new CopyOnWriteArrayList<>();
        ExecutorService own = Executors.newSingleThreadExecutor(r -> new Thread(r, "own-delivery"));
        try {
            join(pair.get(1).subscribe(topic, own, message -> threads.add(Thread.currentThread().getName())));
            join(pair.get(0).publish(topic, "x"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !threads.isEmpty());
            assertThat(threads).containsExactly("own-delivery");
        } finally {
            own.shutdownNow();
        }
    }
}
