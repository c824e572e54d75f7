package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The compatibility kit every {@link Broadcaster} passes: Redis and in-memory alike. */
abstract class BroadcasterContract {

    /** Like the app's loops: a Netty executor, whose execute() never blocks the reader. */
    private final EventExecutor delivery = new DefaultEventExecutor(new DefaultThreadFactory("delivery"));
    /** The receiving side's meters (the publishing side of a Redis pair has its own). */
    protected final MeterRegistry registry = new SimpleMeterRegistry();

    /**
     * Two broadcasters that reach each other (two instances for Redis; one shared for memory); the
     * second reports to {@link #registry}.
     */
    protected abstract List<Broadcaster> pair(BroadcastOptions options, Supplier<Executor> executors);

    private List<Broadcaster> pair() {
        return pair(BroadcastOptions.defaults(), () -> delivery);
    }

    @AfterEach
    void stopDelivery() {
        delivery.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    private static String topic() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    static Subscription active(Subscription subscription) {
        join(subscription.active());
        return subscription;
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

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
            Gate gate = new Gate(own); // so that the stages below complete after they are attached
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
    @Test
    void aRefusingExecutorNeitherStopsDeliveryToOthersNorFailsThePublisher() {
        List<Broadcaster> pair = pair();
        String refused = topic();
        String served = topic();
        Executor refusing = task -> {
            throw new RejectedExecutionException("refused");
        };
        pair.get(1).subscribe(refused, refusing, message -> { });
        List<String> received = new CopyOnWriteArrayList<>();
        active(pair.get(1).subscribe(served, received::add));
        for (int i = 0; i < 5; i++) {
            join(pair.get(0).publish(refused, "r" + i));
            join(pair.get(0).publish(served, "s" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 5);
        assertThat(received).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(counter("spindle.broadcast.delivery.refused")).isPositive();
    }

    // Regression: a subscription made before app.start() had an executor that threw until the loops
    // existed; its messages must wait for it, not vanish.
    @Test
    void messagesWaitForAnExecutorThatRefusesUntilItAccepts() {
        List<Broadcaster> pair = pair();
        String topic = topic();
        AtomicBoolean accepting = new AtomicBoolean();
        Executor notStartedYet = task -> {
            if (!accepting.get()) {
                throw new IllegalStateException("The event loops exist once the app has started");
            }
            delivery.execute(task);
        };
        List<String> received = new CopyOnWriteArrayList<>();
        active(pair.get(1).subscribe(topic, notStartedYet, received::add));
        for (int i = 0; i < 3; i++) {
            join(pair.get(0).publish(topic, "m" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("spindle.broadcast.delivery.refused") > 0);
        accepting.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertThat(received).containsExactly("m0", "m1", "m2");
    }

    // Regression: delivery was one task per message per listener, on an unbounded queue.
    @Test
    void servesManySubscribersOfOneExecutorWithFewTasks() {
        List<Broadcaster> pair = pair();
        String topic = topic();
        AtomicInteger tasks = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Executor counting = task -> {
            tasks.incrementAndGet();
            delivery.execute(task);
        };
        List<Subscription> subscriptions = IntStream.range(0, 200)
                .mapToObj(i -> pair.get(1).subscribe(topic, counting, message -> calls.incrementAndGet())).toList();
        subscriptions.forEach(BroadcasterContract::active);
        tasks.set(0);
        for (int i = 0; i < 50; i++) {
            join(pair.get(0).publish(topic, "m" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 200 * 50);
        assertThat(tasks.get()).isLessThanOrEqualTo(50); // at most one per message, for all 200 subscribers
    }

    @Test
    void fansOutToThousandsOfSubscribersEachOnTheLoopItSubscribedFrom() {
        List<Broadcaster> pair = pair();
        String topic = topic();
        List<EventExecutor> loops = IntStream.range(0, 4)
                .mapToObj(i -> (EventExecutor) new DefaultEventExecutor(new DefaultThreadFactory("loop-" + i))).toList();
        try {
            AtomicInteger calls = new AtomicInteger();
            AtomicInteger elsewhere = new AtomicInteger();
            List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
            for (EventExecutor loop : loops) {
                loop.submit(() -> IntStream.range(0, 1250).forEach(i ->
                        subscriptions.add(pair.get(1).subscribe(topic, message -> {
                            calls.incrementAndGet();
                            if (!loop.inEventLoop()) {
                                elsewhere.incrementAndGet();
                            }
                        })))).syncUninterruptibly();
            }
            subscriptions.forEach(BroadcasterContract::active);
            for (int i = 0; i < 20; i++) {
                join(pair.get(0).publish(topic, "m" + i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() == 5000 * 20);
            assertThat(elsewhere).hasValue(0);
        } finally {
            loops.forEach(loop -> loop.shutdownGracefully(0, 0, TimeUnit.SECONDS));
        }
    }

    @Test
    void aStalledExecutorHoldsAtMostTheQueueBoundDroppingTheOldest() {
        List<Broadcaster> pair = pair(BroadcastOptions.defaults().subscriberQueue(100), () -> delivery);
        String topic = topic();
        HeldTasks held = new HeldTasks();
        List<String> received = new CopyOnWriteArrayList<>();
        Subscription subscription = pair.get(1).subscribe(topic, held, Overflow.DROP_OLDEST, received::add);
        held.runUntil(subscription.active());
        for (int i = 0; i < 1000; i++) {
            join(pair.get(0).publish(topic, "m" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("spindle.broadcast.received") == 1000);
        assertThat(held.size()).isEqualTo(1);
        assertThat(subscription.dropped()).isEqualTo(900);
        assertThat(counter("spindle.broadcast.dropped")).isEqualTo(900);
        held.runAll();
        assertThat(received).isEqualTo(IntStream.range(900, 1000).mapToObj(i -> "m" + i).toList());
    }

    @Test
    void theClosePolicyEndsASubscriptionThatFallsTooFarBehind() {
        List<Broadcaster> pair = pair(BroadcastOptions.defaults().subscriberQueue(10), () -> delivery);
        String topic = topic();
        HeldTasks held = new HeldTasks();
        List<String> received = new CopyOnWriteArrayList<>();
        Subscription subscription = pair.get(1).subscribe(topic, held, Overflow.CLOSE, received::add);
        held.runUntil(subscription.active());
        for (int i = 0; i < 11; i++) {
            join(pair.get(0).publish(topic, "m" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("spindle.broadcast.overflow.closed") == 1);
        held.runAll();
        assertThat(join(subscription.closed())).isEqualTo(Subscription.CloseReason.OVERFLOW);
        assertThat(received).isEmpty();
    }

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

    /** Holds tasks until opened, then hands them and all later ones to {@code target}. */
    static final class Gate implements Executor {
        private final Executor target;
        private final List<Runnable> held = new ArrayList<>();
        private boolean open;

        Gate(Executor target) {
            this.target = target;
        }

        @Override
        public synchronized void execute(Runnable task) {
            if (open) {
                target.execute(task);
            } else {
                held.add(task);
            }
        }

        synchronized void open() {
            open = true;
            held.forEach(target::execute);
            held.clear();
        }
    }

    /** An executor that keeps its tasks until told to run them, like a loop busy elsewhere. */
    static final class HeldTasks implements Executor {
        private final List<Runnable> tasks = new CopyOnWriteArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        int size() {
            return tasks.size();
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }

        /** Runs tasks as they come until {@code stage} is complete. */
        void runUntil(CompletionStage<?> stage) {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                runAll();
                return stage.toCompletableFuture().isDone();
            });
        }
    }
}
