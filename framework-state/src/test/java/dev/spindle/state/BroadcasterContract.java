package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The compatibility kit every {@link Broadcaster} passes: Redis and in-memory alike. */
abstract class BroadcasterContract extends BroadcastDeliveryContract {

    @Test
    void deliversToEverySubscriberInPublishingOrder() {
        List<Broadcaster> pair = pair();
        String topic = topic();
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        active(pair.get(0).subscribe(topic, first::add));
        active(pair.get(1).subscribe(topic, second::add));
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
        List<Broadcaster> pair = pair();
        String topic = topic();
        List<String> received = new CopyOnWriteArrayList<>();
        active(pair.get(1).subscribe(topic, received::add));
        join(pair.get(0).publish(topic(), "other"));
        join(pair.get(0).publish(topic, "mine"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("mine"));
        assertThat(received).containsExactly("mine");
    }

    @Test
    void doesNotReplayMessagesPublishedBeforeTheSubscription() {
        List<Broadcaster> pair = pair();
        String topic = topic();
        join(pair.get(0).publish(topic, "before"));
        List<String> received = new CopyOnWriteArrayList<>();
        active(pair.get(1).subscribe(topic, received::add));
        join(pair.get(0).publish(topic, "after"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("after"));
        assertThat(received).containsExactly("after");
    }

    @Test
    void aClosedSubscriptionReceivesNothingMoreAndSaysWhy() {
        List<Broadcaster> pair = pair();
        String topic = topic();
        List<String> closed = new CopyOnWriteArrayList<>();
        List<String> open = new CopyOnWriteArrayList<>();
        Subscription subscription = active(pair.get(1).subscribe(topic, closed::add));
        active(pair.get(1).subscribe(topic, open::add));
        subscription.close();
        join(pair.get(0).publish(topic, "late"));
        await().atMost(Duration.ofSeconds(10)).until(() -> open.contains("late"));
        assertThat(closed).isEmpty();
        assertThat(subscription.topic()).isEqualTo(topic);
        assertThat(join(subscription.closed())).isEqualTo(Subscription.CloseReason.UNSUBSCRIBED);
    }

    @Test
    void usesTheExecutorItIsGivenForMessagesAndStages() {
        List<Broadcaster> pair = pair();
        String topic = topic();
        List<String> threads = new CopyOnWriteArrayList<>();
        EventExecutor own = new DefaultEventExecutor(new DefaultThreadFactory("own-delivery"));
        try {
            TestExecutors.Gate gate = new TestExecutors.Gate(own); // so that the stages below complete after they are attached
            Subscription subscription = pair.get(1).subscribe(topic, gate,
                    message -> threads.add(Thread.currentThread().getName()));
            CompletionStage<Void> active = subscription.active()
                    .thenRun(() -> threads.add("active:" + Thread.currentThread().getName()));
            gate.open();
            join(active);
            join(pair.get(0).publish(topic, "x"));
            await().atMost(Duration.ofSeconds(10)).until(() -> threads.size() == 2);
            CompletionStage<Void> closed = subscription.closed()
                    .thenRun(() -> threads.add("closed:" + Thread.currentThread().getName()));
            subscription.close();
            join(closed);
            assertThat(threads).hasSize(3);
            assertThat(threads.get(0)).startsWith("active:own-delivery");
            assertThat(threads.get(1)).startsWith("own-delivery");
            assertThat(threads.get(2)).startsWith("closed:own-delivery");
        } finally {
            own.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    // Regression: an executor that threw in execute() ended the Redis reader for every topic, silently,
    // and made the in-memory publish fail.

    // Regression: delivery was one task per message per listener, on an unbounded queue.

    @Test
    void aListenerThatThrowsKeepsItsSubscription() {
        List<Broadcaster> pair = pair();
        String topic = topic();
        List<String> received = new CopyOnWriteArrayList<>();
        active(pair.get(1).subscribe(topic, message -> {
            received.add(message);
            if (message.equals("bad")) {
                throw new IllegalArgumentException("listener bug");
            }
        }));
        join(pair.get(0).publish(topic, "bad"));
        join(pair.get(0).publish(topic, "good"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("good"));
        assertThat(received).containsExactly("bad", "good");
        assertThat(counter("spindle.broadcast.listener.failures")).isEqualTo(1);
    }

    // Regression: per-topic state was never released, so every topic ever subscribed stayed.

    @Test
    void releasesATopicWhenItsLastSubscriptionCloses() {
        List<Broadcaster> pair = pair();
        List<Subscription> subscriptions = IntStream.range(0, 300)
                .mapToObj(i -> pair.get(1).subscribe(topic(), message -> { })).toList();
        assertThat(registry.get("spindle.broadcast.topics").gauge().value()).isEqualTo(300);
        subscriptions.forEach(Subscription::close);
        assertThat(registry.get("spindle.broadcast.topics").gauge().value()).isZero();
        assertThat(registry.get("spindle.broadcast.subscribers").gauge().value()).isZero();
    }

    @Test
    void closingTheBroadcasterEndsEverySubscription() {
        List<Broadcaster> pair = pair();
        Subscription subscription = active(pair.get(1).subscribe(topic(), message -> { }));
        pair.get(1).close();
        assertThat(join(subscription.closed())).isEqualTo(Subscription.CloseReason.BROADCASTER_CLOSED);
    }
}
