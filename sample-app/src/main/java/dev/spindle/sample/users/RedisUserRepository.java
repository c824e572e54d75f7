package dev.spindle.sample.users;

import dev.spindle.state.RedisConnection;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import tools.jackson.databind.ObjectMapper;

/**
 * The users in Redis, shared by every instance: each user a JSON value in one hash, an e-mail
 * index in another, and a sorted set of ids (all of score 0, so ordered by id, which is creation
 * order) for paging. Changes that touch more than one key run as one Lua script, so the e-mail
 * index never disagrees with the users; the keys share the {@code {users}} hash tag, so this works
 * on Redis Cluster too. Calls are bounded by the command timeout and complete on the calling loop.
 */
final class RedisUserRepository implements UserRepository {

    private static final String INSERT = """
            if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            redis.call('ZADD', KEYS[3], 0, ARGV[1])
            return 1
            """;

    private static final String UPDATE = """
            local old = redis.call('HGET', KEYS[1], ARGV[1])
            if not old then return -1 end
            local oldEmail = cjson.decode(old)['email']
            if oldEmail ~= ARGV[2] then
              if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[1]) == 0 then return 0 end
              redis.call('HDEL', KEYS[2], oldEmail)
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            return 1
            """;

    private static final String DELETE = """
            local old = redis.call('HGET', KEYS[1], ARGV[1])
            if not old then return 0 end
            redis.call('HDEL', KEYS[2], cjson.decode(old)['email'])
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('ZREM', KEYS[3], ARGV[1])
            return 1
            """;

    private final RedisConnection redis;
    private final ObjectMapper json;
    private final String[] keys;

    RedisUserRepository(RedisConnection redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
        this.keys = new String[] {redis.key("{users}:data"), redis.key("{users}:email"), redis.key("{users}:order")};
    }

    @Override
    public CompletionStage<User> insert(User user) {
        return redis.<Long>call(commands -> commands.eval(INSERT, ScriptOutputType.INTEGER, keys, user.id(),
                user.email(), json.writeValueAsString(user))).thenApply(inserted -> {
                    if (inserted == 0) {
                        throw new EmailTakenException(user.email());
                    }
                    return user;
                });
    }

    @Override
    public CompletionStage<Optional<User>> find(String id) {
        return redis.call(commands -> commands.hget(keys[0], id)).thenApply(this::decode);
    }

    @Override
    public CompletionStage<Optional<User>> findByEmail(String email) {
        return redis.call(commands -> commands.hget(keys[1], email)).thenCompose(id -> id == null
                ? CompletableFuture.completedStage(Optional.empty())
                : find(id));
    }

    @Override
    public CompletionStage<List<User>> list(int offset, int limit) {
        return redis.call(commands -> commands.zrange(keys[2], offset, (long) offset + limit - 1))
                .thenCompose(ids -> ids.isEmpty()
                        ? CompletableFuture.completedStage(List.<User>of())
                        : redis.call(commands -> commands.hmget(keys[0], ids.toArray(String[]::new)))
                                .thenApply(values -> values.stream().filter(KeyValue::hasValue)
                                        .map(value -> json.readValue(value.getValue(), User.class)).toList()));
    }

    @Override
    public CompletionStage<User> update(User user) {
        return redis.<Long>call(commands -> commands.eval(UPDATE, ScriptOutputType.INTEGER, keys, user.id(),
                user.email(), json.writeValueAsString(user))).thenApply(result -> {
                    if (result < 0) {
                        throw new UserNotFoundException(user.id());
                    }
                    if (result == 0) {
                        throw new EmailTakenException(user.email());
                    }
                    return user;
                });
    }

    @Override
    public CompletionStage<Boolean> delete(String id) {
        return redis.<Long>call(commands -> commands.eval(DELETE, ScriptOutputType.INTEGER, keys, id))
                .thenApply(deleted -> deleted == 1);
    }

    @Override
    public CompletionStage<Integer> count() {
        return redis.call(commands -> commands.hlen(keys[0])).thenApply(Long::intValue);
    }

    @Override
    public String describe() {
        return "redis, shared by every instance";
    }

    private Optional<User> decode(String value) {
        return value == null ? Optional.empty() : Optional.of(json.readValue(value, User.class));
    }
}
