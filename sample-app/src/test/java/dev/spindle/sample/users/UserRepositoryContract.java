package dev.spindle.sample.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link UserRepository} does; run against the in-memory and the Redis one. */
abstract class UserRepositoryContract {

    /** A new, empty repository. */
    abstract UserRepository repository();

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static User user(String name, String email) {
        return new User(UserIds.next(), name, email, "hash-of-" + name, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void storesFindsAndCountsUsers() throws Exception {
        UserRepository users = repository();
        User ada = user("Ada", "ada@example.com");

        assertThat(await(users.insert(ada))).isEqualTo(ada);

        assertThat(await(users.find(ada.id()))).contains(ada);
        assertThat(await(users.findByEmail("ada@example.com"))).contains(ada);
        assertThat(await(users.find("nobody"))).isEmpty();
        assertThat(await(users.findByEmail("nobody@example.com"))).isEmpty();
        assertThat(await(users.count())).isEqualTo(1);
    }

    @Test
    void refusesASecondUserWithTheSameEmailAddress() throws Exception {
        UserRepository users = repository();
        await(users.insert(user("Ada", "ada@example.com")));

        assertThatThrownBy(() -> await(users.insert(user("Impostor", "ada@example.com"))))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(EmailTakenException.class);
        assertThat(await(users.count())).isEqualTo(1);
    }

    @Test
    void listsInCreationOrderAPageAtATime() throws Exception {
        UserRepository users = repository();
        List<User> created = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(await(users.insert(user("User " + i, "user" + i + "@example.com"))));
        }

        assertThat(await(users.list(0, 3))).containsExactlyElementsOf(created.subList(0, 3));
        assertThat(await(users.list(3, 3))).containsExactlyElementsOf(created.subList(3, 6));
        assertThat(await(users.list(6, 3))).containsExactlyElementsOf(created.subList(6, 7));
        assertThat(await(users.list(9, 3))).isEmpty();
    }

    @Test
    void updatesMoveTheEmailIndexAndRefuseATakenAddress() throws Exception {
        UserRepository users = repository();
        User ada = await(users.insert(user("Ada", "ada@example.com")));
        await(users.insert(user("Grace", "grace@example.com")));

        User renamed = await(users.update(ada.withProfile("Ada L.", "lovelace@example.com")));

        assertThat(await(users.find(ada.id()))).contains(renamed);
        assertThat(await(users.findByEmail("lovelace@example.com"))).contains(renamed);
        assertThat(await(users.findByEmail("ada@example.com"))).isEmpty();
        assertThatThrownBy(() -> await(users.update(renamed.withProfile("Ada", "grace@example.com"))))
                .hasCauseInstanceOf(EmailTakenException.class);
        assertThatThrownBy(() -> await(users.update(user("Ghost", "ghost@example.com"))))
                .hasCauseInstanceOf(UserNotFoundException.class);
        assertThat(await(users.findByEmail("ghost@example.com"))).isEmpty();
    }

    @Test
    void deletesAUserAndFreesItsEmailAddress() throws Exception {
        UserRepository users = repository();
        User ada = await(users.insert(user("Ada", "ada@example.com")));

        assertThat(await(users.delete(ada.id()))).isTrue();
        assertThat(await(users.delete(ada.id()))).isFalse();

        assertThat(await(users.find(ada.id()))).isEmpty();
        assertThat(await(users.count())).isZero();
        assertThat(await(users.insert(user("Ada again", "ada@example.com"))).name()).isEqualTo("Ada again");
    }

    static String uniquePrefix() {
        return "sample-test-" + UUID.randomUUID() + ":";
    }
}
