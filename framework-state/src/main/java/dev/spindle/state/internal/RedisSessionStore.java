package dev.spindle.state.internal;

import dev.spindle.core.Deadline;
import dev.spindle.state.SessionData;
import dev.spindle.state.SessionStore;
import dev.spindle.state.SessionUpdate;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Sessions as Redis hashes: {@code @created}, {@code @accessed} and one field per attribute.
 * An update is one Lua script that writes only the changed fields, refuses to resurrect a
 * session that has gone, and resets the TTL, so concurrent updates of different attributes
 * all survive. Every operation touches one key, so it runs unchanged on Redis Cluster.
 */
public final class RedisSessionStore implements SessionStore {

    private static final String CREATED = "@created";
    private static final String ACCESSED = "@accessed";
    private static final Script SAVE = Script.of("""
            local key = KEYS[1]
            if redis.call('EXISTS', key) == 0 then
              if ARGV[1] ~= '1' then return 0 end
              redis.call('HSET', key, '@created', ARGV[2])
            end
            redis.call('HSET', key, '@accessed', ARGV[3])
            local sets = tonumber(ARGV[5])
            local i = 6
            for _ = 1, sets do
              redis.call('HSET', key, ARGV[i], ARGV[i + 1])
              i = i + 2
            end
            while i <= #ARGV do
              redis.call('HDEL', key, ARGV[i])
              i = i + 1
            end
            redis.call('PEXPIRE', key, ARGV[4])
            return 1
            """);

    private final LettuceConnection redis;

    public RedisSessionStore(LettuceConnection redis) {
        this.redis = redis;
    }

    private String key(String id) {
        return redis.key("session:" + id);
    }

    @Override
    public CompletionStage<Optional<SessionData>> load(String id, Deadline deadline) {
        return redis.call(deadline, c -> c.hgetall(key(id))).thenApply(fields -> {
            if (fields == null || !fields.containsKey(CREATED)) {
                return Optional.empty();
            }
            Map<String, String> attributes = new HashMap<>(fields);
            Instant created = Instant.ofEpochMilli(Long.parseLong(attributes.remove(CREATED)));
            String accessed = attributes.remove(ACCESSED);
            return Optional.of(new SessionData(id, created,
                    accessed == null ? created : Instant.ofEpochMilli(Long.parseLong(accessed)), attributes));
        });
    }

    @Override
    public CompletionStage<Boolean> save(String id, SessionUpdate update, Deadline deadline) {
        List<String> args = new ArrayList<>(5 + update.set().size() * 2 + update.remove().size());
        args.add(update.create() ? "1" : "0");
        args.add(Long.toString(update.createdAt().toEpochMilli()));
        args.add(Long.toString(update.accessedAt().toEpochMilli()));
        args.add(Long.toString(Math.max(1, update.ttl().toMillis())));
        args.add(Integer.toString(update.set().size()));
        update.set().forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        args.addAll(update.remove());
        return redis.<Long>script(deadline, SAVE, ScriptOutputType.INTEGER, new String[] {key(id)},
                args.toArray(String[]::new)).thenApply(result -> result != null && result == 1L);
    }

    @Override
    public CompletionStage<Void> delete(String id, Deadline deadline) {
        return redis.call(deadline, c -> c.del(key(id))).thenApply(count -> null);
    }
}
