package dev.spindle.sample.users;

import dev.spindle.state.RedisConnection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import tools.jackson.databind.ObjectMapper;

/**
 * Where users live. Every method answers with a stage so that a networked store (Redis) fits
 * behind the same interface as the in-memory one, and handlers never block on it.
 */
public interface UserRepository {

    /** The in-memory store: one instance, nothing to install, gone when the process exits. */
    static UserRepository inMemory() {
        return new InMemoryUserRepository();
    }

    /**
     * The users in Redis, shared by every instance (what the sample uses when {@code REDIS_URL}
     * is set); stored as JSON written by {@code json}.
     */
    static UserRepository redis(RedisConnection redis, ObjectMapper json) {
        return new RedisUserRepository(redis, json);
    }

    /** Stores a new user; fails with {@link EmailTakenException} when the e-mail address is in use. */
    CompletionStage<User> insert(User user);

    /** The user with {@code id}. */
    CompletionStage<Optional<User>> find(String id);

    /** The user with the (lower-case) {@code email}. */
    CompletionStage<Optional<User>> findByEmail(String email);

    /** Up to {@code limit} users in creation order, skipping the first {@code offset}. */
    CompletionStage<List<User>> list(int offset, int limit);

    /**
     * Replaces a stored user; fails with {@link UserNotFoundException} when it is gone and with
     * {@link EmailTakenException} when its new e-mail address belongs to someone else.
     */
    CompletionStage<User> update(User user);

    /** Removes the user; answers whether it existed. */
    CompletionStage<Boolean> delete(String id);

    /** How many users are stored. */
    CompletionStage<Integer> count();

    /** A short description for the readiness endpoint, e.g. {@code in-memory, 3 users}. */
    String describe();
}
