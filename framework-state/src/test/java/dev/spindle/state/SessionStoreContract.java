package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The compatibility kit every {@link SessionStore} passes: Redis and in-memory alike. */
abstract class SessionStoreContract {

    private static final Deadline NO_DEADLINE = Deadline.none();

    /** The store under test. */
    protected abstract SessionStore store();

    /** Asserts that the session {@code id}, just saved with {@code ttl}, lives that long and no longer. */
    protected abstract void assertLivesFor(String id, Duration ttl);

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static SessionUpdate create(Map<String, String> set) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new SessionUpdate(true, now, now, Duration.ofMinutes(5), set, Set.of());
    }

    private static SessionUpdate update(Map<String, String> set, Set<String> remove) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new SessionUpdate(false, now, now, Duration.ofMinutes(5), set, remove);
    }

    private Optional<SessionData> load(String id) {
        return store().load(id, NO_DEADLINE).toCompletableFuture().join();
    }

    private boolean save(String id, SessionUpdate update) {
        return store().save(id, update, NO_DEADLINE).toCompletableFuture().join();
    }

    @Test
    void loadsWhatWasSaved() {
        String id = newId();
        SessionUpdate first = create(Map.of("user", "\"ada\"", "cart", "[1,2]"));
        assertThat(save(id, first)).isTrue();
        SessionData data = load(id).orElseThrow();
        assertThat(data.id()).isEqualTo(id);
        assertThat(data.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("user", "\"ada\"", "cart", "[1,2]"));
        assertThat(data.createdAt()).isEqualTo(first.createdAt());
        assertThat(data.accessedAt()).isEqualTo(first.accessedAt());
    }

    @Test
    void unknownIdLoadsNothing() {
        assertThat(load(newId())).isEmpty();
    }

    // Regression guard: a late write from a request must not bring back a session logged out meanwhile.
    @Test
    void updateWithoutCreateDoesNotResurrectADeletedSession() {
        String id = newId();
        save(id, create(Map.of("user", "\"ada\"")));
        store().delete(id, NO_DEADLINE).toCompletableFuture().join();
        assertThat(save(id, update(Map.of("cart", "[]"), Set.of()))).isFalse();
        assertThat(load(id)).isEmpty();
    }

    @Test
    void updatesTouchOnlyTheirAttributes() {
        String id = newId();
        save(id, create(Map.of("a", "1", "b", "2", "c", "3")));
        save(id, update(Map.of("a", "10"), Set.of()));
        save(id, update(Map.of(), Set.of("c")));
        assertThat(load(id).orElseThrow().attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "10", "b", "2"));
    }

    @Test
    void updateRecordsTheAccessTime() {
        String id = newId();
        save(id, create(Map.of()));
        Instant later = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        save(id, new SessionUpdate(false, Instant.EPOCH, later, Duration.ofMinutes(5), Map.of(), Set.of()));
        SessionData data = load(id).orElseThrow();
        assertThat(data.accessedAt()).isEqualTo(later);
        assertThat(data.createdAt()).isNotEqualTo(Instant.EPOCH);
    }

    @Test
    void deleteForgetsTheSessionAndToleratesUnknownIds() {
        String id = newId();
        save(id, create(Map.of("user", "\"ada\"")));
        store().delete(id, NO_DEADLINE).toCompletableFuture().join();
        store().delete(newId(), NO_DEADLINE).toCompletableFuture().join();
        assertThat(load(id)).isEmpty();
    }

    // Regression: expiry was tested with a 300 ms TTL on the wall clock.
    @Test
    void expiresAfterItsTtl() {
        String id = newId();
        Instant now = Instant.now();
        save(id, new SessionUpdate(true, now, now, Duration.ofMinutes(5), Map.of("user", "\"ada\""), Set.of()));
        assertThat(load(id)).isPresent();
        assertLivesFor(id, Duration.ofMinutes(5));
    }

    @Test
    void moveTakesWhatTheOldIdHoldsNowAndRetiresIt() {
        String from = newId();
        String to = newId();
        save(from, create(Map.of("cart", "[1]")));
        save(from, update(Map.of("theme", "\"dark\""), Set.of())); // written after the mover read it
        store().move(from, to, update(Map.of("user", "\"ada\""), Set.of("cart")), NO_DEADLINE).toCompletableFuture()
                .join();
        assertThat(load(from)).isEmpty();
        assertThat(save(from, update(Map.of("late", "1"), Set.of()))).isFalse(); // a late write cannot revive it
        assertThat(load(to).orElseThrow().attributes())
                .containsExactlyInAnyOrderEntriesOf(Map.of("theme", "\"dark\"", "user", "\"ada\""));
    }

    @Test
    void theIndexFindsAndDeletesEverySessionOfAPrincipal() {
        String principal = "user-" + newId();
        String laptop = newId();
        String phone = newId();
        String gone = newId();
        for (String id : List.of(laptop, phone, gone)) {
            save(id, create(Map.of()));
            store().index(principal, id, Duration.ofHours(8), NO_DEADLINE).toCompletableFuture().join();
        }
        store().delete(gone, NO_DEADLINE).toCompletableFuture().join();
        assertThat(store().idsOf(principal, NO_DEADLINE).toCompletableFuture().join())
                .containsExactlyInAnyOrder(laptop, phone);
        assertThat(store().deleteAllOf(principal, NO_DEADLINE).toCompletableFuture().join()).isEqualTo(2);
        assertThat(load(laptop)).isEmpty();
        assertThat(load(phone)).isEmpty();
        assertThat(store().idsOf(principal, NO_DEADLINE).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void concurrentUpdatesOfDifferentAttributesAllSurvive() {
        String id = newId();
        save(id, create(Map.of()));
        List<CompletableFuture<Boolean>> writes = IntStream.range(0, 50)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> store().save(id,
                        update(Map.of("attr" + i, Integer.toString(i)), Set.of()), NO_DEADLINE))
                        .thenCompose(stage -> stage))
                .toList();
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        Map<String, String> expected = new HashMap<>();
        IntStream.range(0, 50).forEach(i -> expected.put("attr" + i, Integer.toString(i)));
        assertThat(load(id).orElseThrow().attributes()).containsExactlyInAnyOrderEntriesOf(expected);
    }
}
