package dev.spindle.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.core.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the registry and leader election promise, whatever the store: run against Redis and the
 * in-memory twin. Time is a {@link ManualClock} shared by the instances; outcomes that depend on
 * the store answering are awaited, outcomes that depend on time are reached by moving the clock.
 */
abstract class CoordinationContract {

    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    static final Duration TTL = Duration.ofSeconds(15);
    static final Duration LEASE = Duration.ofSeconds(15);

    final ManualClock clock = new ManualClock();
    private final List<Coordination> instances = new ArrayList<>();

    /** A store all instances of one test share (each instance may get its own connection to it). */
    abstract CoordinationStore store();

    Coordination instance(String id) {
        Config config = Config.builder().set("cluster.heartbeat-interval", HEARTBEAT.toMillis() + "ms")
                .set("cluster.instance-ttl", TTL.toMillis() + "ms").set("cluster.leader-lease", LEASE.toMillis() + "ms")
                .build();
        Coordination coordination = Coordination.builder(config).store(store()).clock(clock).instanceId(id)
                .version("1.2.3").address(() -> "10.0.0." + id.charAt(id.length() - 1) + ":8080")
                .load(() -> Map.of("requestsActive", 3.0)).build();
        instances.add(coordination);
        return coordination;
    }

    @AfterEach
    void closeInstances() {
        instances.forEach(Coordination::close);
    }

    static List<String> ids(Coordination coordination) throws Exception {
        return coordination.registry().instances().toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
                .map(Instance::id).toList();
    }

    @Test
    void theRegistryListsEveryInstanceWithItsDetails() throws Exception {
        Coordination a = instance("node-1");
        instance("node-2");
        instance("node-3");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ids(a)).containsExactly("node-1", "node-2", "node-3"));
        Instance second = a.registry().instances().toCompletableFuture().get(10, TimeUnit.SECONDS).get(1);
        assertThat(second.address()).isEqualTo("10.0.0.2:8080");
        assertThat(second.version()).isEqualTo("1.2.3");
        assertThat(second.startedAt()).isEqualTo(clock.now());
        assertThat(second.load()).containsEntry("requestsActive", 3.0);
    }

    @Test
    void aDeadInstanceDisappearsWithinItsTtlWhileTheLiveOnesStay() throws Exception {
        Coordination a = instance("node-1");
        Coordination dead = instance("node-2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(a)).hasSize(2));

        dead.abandon();
        clock.advance(TTL.minusMillis(1));
        assertThat(ids(a)).as("just before its TTL").containsExactly("node-1", "node-2");
        clock.advance(Duration.ofMillis(1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(a)).containsExactly("node-1"));
        clock.advance(TTL.multipliedBy(2));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(a)).containsExactly("node-1"));
    }

    @Test
    void aLeaderThatLeavesRemovesItsEntryAtOnce() throws Exception {
        Coordination a = instance("node-1");
        Coordination leaving = instance("node-2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(a)).hasSize(2));

        leaving.close();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(a)).containsExactly("node-1"));
    }

    @Test
    void whenTheLeaderDiesAnotherTakesOverWithinTheLeaseAndOnlyOneLeaderIsEverValid() {
        List<LeaderElection> elections = List.of(instance("node-1").election("scheduler"),
                instance("node-2").election("scheduler"), instance("node-3").election("scheduler"));
        await().atMost(Duration.ofSeconds(30)).until(() -> leaders(elections).size() == 1);
        LeaderElection first = leaders(elections).get(0);
        long firstToken = first.leadership().orElseThrow().token();

        // Renewals keep the same leader and token across several leases.
        for (int i = 0; i < 12; i++) {
            clock.advance(LEASE.dividedBy(6));
            await().atMost(Duration.ofSeconds(30)).until(() -> leaders(elections).equals(List.of(first)));
        }
        assertThat(first.leadership().orElseThrow().token()).isEqualTo(firstToken);

        long killedAt = clock.nanoTime();
        crash(elections, first);
        Duration step = LEASE.dividedBy(15);
        while (true) {
            clock.advance(step);
            assertThat(leaders(elections)).as("valid leaders at %s", clock.now()).hasSizeLessThanOrEqualTo(1);
            // Before the lease ends no one may take over, so a short look suffices; from its end on,
            // the store's answer may be slow on a busy machine: wait for it rather than step past it.
            boolean leaseOver = Duration.ofNanos(clock.nanoTime() - killedAt).compareTo(LEASE) >= 0;
            if (awaitNewLeader(elections, first, leaseOver ? Duration.ofSeconds(30) : Duration.ofMillis(300))) {
                break;
            }
            assertThat(Duration.ofNanos(clock.nanoTime() - killedAt)).as("failover within the lease").isLessThanOrEqualTo(LEASE);
        }
        Duration failover = Duration.ofNanos(clock.nanoTime() - killedAt);
        LeaderElection second = leaders(elections).get(0);
        System.out.printf("%s: leader failover %d ms after the leader died (lease %d ms); tokens %d -> %d%n",
                getClass().getSimpleName(), failover.toMillis(), LEASE.toMillis(), firstToken,
                second.leadership().orElseThrow().token());
        assertThat(second).isNotSameAs(first);
        assertThat(failover).isLessThanOrEqualTo(LEASE);
        assertThat(second.leadership().orElseThrow().token()).isGreaterThan(firstToken);
        assertThat(first.leadership()).as("the dead leader's lease is over").isEmpty();
    }

    @Test
    void aLeaderThatStepsDownIsReplacedWithinAThirdOfTheLease() {
        List<LeaderElection> elections = List.of(instance("node-1").election("cleanup"),
                instance("node-2").election("cleanup"));
        await().atMost(Duration.ofSeconds(30)).until(() -> leaders(elections).size() == 1);
        LeaderElection first = leaders(elections).get(0);
        List<Optional<Leadership>> changes = new ArrayList<>();
        first.onChange(changes::add);

        first.close();
        assertThat(changes).containsExactly(Optional.empty());
        clock.advance(LEASE.dividedBy(3));

        await().atMost(Duration.ofSeconds(30)).until(() -> leaders(elections).size() == 1);
        assertThat(leaders(elections).get(0)).isNotSameAs(first);
    }

    private void crash(List<LeaderElection> elections, LeaderElection leader) {
        for (Coordination instance : instances) {
            if (instance.election("scheduler") == leader) {
                instance.abandon();
            }
        }
    }

    /** Waits briefly for the store to answer the attempts the last clock step made; whether another leads now. */
    private static boolean awaitNewLeader(List<LeaderElection> elections, LeaderElection old, Duration patience) {
        try {
            await().atMost(patience).until(() -> {
                List<LeaderElection> leaders = leaders(elections);
                return leaders.size() == 1 && leaders.get(0) != old;
            });
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    static List<LeaderElection> leaders(List<LeaderElection> elections) {
        return elections.stream().filter(LeaderElection::isLeader).collect(Collectors.toList());
    }
}
