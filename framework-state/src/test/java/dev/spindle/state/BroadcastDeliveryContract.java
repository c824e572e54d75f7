package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
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

/**
 * The delivery half of the kit every {@link Broadcaster} passes ({@link BroadcasterContract}): executors that
 * refuse, many subscribers, bounded queues.
 */
abstract class BroadcastDeliveryContract {

    /** Like the app's loops: a Netty executor, whose execute() never blocks the reader. */
    private final EventExecutor delivery = new DefaultEventExecutor(new DefaultThreadFactory("delivery"));
    /** The receiving side's meters (the publishing side of a Redis pair has its own). */
    protected final MeterRegistry registry = new SimpleMeterRegistry();

    /**
     * Two broadcasters that reach each other (two instances for Redis; one shared for memory); the
     * second reports to {@link #registry}.
     */
    protected abstract List<Broadcaster> pair(BroadcastOptions options, Supplier<Executor> executors);

    List<Broadcaster> pair() {
        return pair(BroadcastOptions.defaults(), () -> delivery);
    }

    @AfterEach
    void stopDelivery() {
        delivery.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    static String topic() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    static Subscription active(Subscription subscription) {
        join(subscription.active());
        return subscription;
    }

    double counter(String name) {
        return registry.get(name).counter().count();
    }

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
        subscriptions.forEach(BroadcastDeliveryContract::active);
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
            subscriptions.forEach(BroadcastDeliveryContract::active);
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
        TestExecutors.HeldTasks held = new TestExecutors.HeldTasks();
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
        TestExecutors.HeldTasks held = new TestExecutors.HeldTasks();
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
}
