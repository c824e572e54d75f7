package dev.spindle.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.core.Config;
import dev.spindle.state.RedisConnection;
import dev.spindle.state.RedisOptions;
import dev.spindle.test.redis.RedisExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A leader that cannot reach Redis steps down at its next renewal, before its lease ends, so it
 * never acts while another may have taken over; when Redis is back, one leader is elected again.
 */
class LeaderLosesRedisTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.ownServer(false);

    private static final Duration LEASE = Duration.ofSeconds(15);

    @Test
    void aLeaderThatLosesRedisDemotesItselfBeforeItsLeaseEnds() throws Exception {
        ManualClock clock = new ManualClock();
        Config config = Config.builder().set("cluster.leader-lease", LEASE.toMillis() + "ms").build();
        try (RedisConnection connection = RedisConnection.connect(RedisOptions.of(redis.url())
                .commandTimeout(Duration.ofMillis(500)), new SimpleMeterRegistry());
             Coordination coordination = Coordination.builder(config).store(CoordinationStore.redis(connection))
                     .clock(clock).instanceId("node-1").build()) {
            LeaderElection election = coordination.election("scheduler");
            List<Optional<Leadership>> changes = new ArrayList<>();
            election.onChange(change -> {
                synchronized (changes) {
                    changes.add(change);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(election::isLeader);
            long token = election.leadership().orElseThrow().token();

            redis.server().orElseThrow().kill();
            clock.advance(LEASE.dividedBy(3));

            await().atMost(Duration.ofSeconds(30)).until(() -> !election.isLeader());
            assertThat(clock.now()).as("demoted before the lease ran out")
                    .isBefore(election.leadership().map(Leadership::validUntil).orElse(clock.now().plus(LEASE)));
            synchronized (changes) {
                assertThat(changes).last().isEqualTo(Optional.empty());
            }

            redis.server().orElseThrow().restart();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                clock.advance(LEASE.dividedBy(3));
                return election.isLeader();
            });
            assertThat(election.leadership().orElseThrow().token()).as("fencing token after Redis lost its data")
                    .isGreaterThan(token);
            System.out.printf("Leader lost Redis: demoted at its next renewal; re-elected after Redis returned "
                    + "(token %d -> %d)%n", token, election.leadership().orElseThrow().token());
        }
    }
}
