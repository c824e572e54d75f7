package dev.spindle.state.internal;

import dev.spindle.core.Deadline;
import dev.spindle.state.SessionData;
import dev.spindle.state.SessionStore;
import dev.spindle.state.SessionUpdate;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Sessions as Redis hashes: {@code @created}, {@code @accessed} and one field per attribute.
 * An update is one Lua script that writes only the changed fields, refuses to resurrect a
 * session that has gone, and resets the TTL, so concurrent updates of different attributes
 * all survive. Every script touches one key, so it runs unchanged on Redis Cluster; a move takes
 * the old hash (read and delete in one step) before it writes the new one. The sessions of a
 * principal are a set under {@code <prefix>session-principal:<name>}.
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
    private static final Script TAKE = Script.of("""
            local fields = redis.call('HGETALL', KEYS[1])
            if #fields > 0 then redis.call('DEL', KEYS[1]) end
            return fields
            """);
    private static final Script INDEX = Script.of("""
            redis.call('SADD', KEYS[1], ARGV[1])
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 1
            """);

    private final LettuceConnection redis;

    public RedisSessionStore(LettuceConnection redis) {
        this.redis = redis;
    }

    private String key(String id) {
        return redis.key("session:" + id);
    }

    private String indexKey(String principal) {
        return redis.key("session-principal:" + principal);
    }

    @Override
    public CompletionStage<Optional<SessionData>> load(String id, Deadline deadline) {
        return redis.call(deadline, caller(), c -> c.hgetall(key(id))).thenApply(fields -> data(id, fields));
    }

    private static Optional<SessionData> data(String id, Map<String, String> fields) {
        if (fields == null || !fields.containsKey(CREATED)) {
            return Optional.empty();
        }
        Map<String, String> attributes = fields; // Lettuce's own map, not shared: no copy
        Instant created = Instant.ofEpochMilli(Long.parseLong(attributes.remove(CREATED)));
        String accessed = attributes.remove(ACCESSED);
        return Optional.of(new SessionData(id, created,
                accessed == null ? created : Instant.ofEpochMilli(Long.parseLong(accessed)), attributes));
    }

    @Override
    public CompletionStage<Boolean> save(String id, SessionUpdate update, Deadline deadline) {
        return save(id, update, deadline, caller());
    }

    private CompletableFuture<Boolean> save(String id, SessionUpdate update, Deadline deadline, Executor executor) {
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
        return redis.<Long>script(deadline, executor, SAVE, ScriptOutputType.INTEGER, new String[] {key(id)},
                args.toArray(String[]::new)).thenApply(result -> result != null && result == 1L);
    }

    @Override
    public CompletionStage<Void> delete(String id, Deadline deadline) {
        return redis.call(deadline, caller(), c -> c.del(key(id))).thenApply(count -> null);
    }

    @Override
    public CompletionStage<Void> move(String from, String to, SessionUpdate update, Deadline deadline) {
        Executor executor = caller();
        return redis.<List<Object>>script(deadline, executor, TAKE, ScriptOutputType.MULTI, new String[] {key(from)})
                .thenCompose(taken -> {
                    Map<String, String> fields = new HashMap<>();
                    for (int i = 0; i + 1 < taken.size(); i += 2) {
                        fields.put((String) taken.get(i), (String) taken.get(i + 1));
                    }
                    Optional<SessionData> old = data(from, fields);
                    Map<String, String> set = new HashMap<>(old.map(SessionData::attributes).orElse(Map.of()));
                    update.remove().forEach(set::remove);
                    set.putAll(update.set());
                    SessionUpdate create = new SessionUpdate(true, old.map(SessionData::createdAt)
                            .orElse(update.createdAt()), update.accessedAt(), update.ttl(), set, Set.of());
                    return save(to, create, deadline, executor);
                }).thenApply(saved -> null);
    }

    @Override
    public CompletionStage<Void> index(String principal, String id, Duration ttl, Deadline deadline) {
        return redis.<Long>script(deadline, caller(), INDEX, ScriptOutputType.INTEGER,
                new String[] {indexKey(principal)}, id, Long.toString(Math.max(1, ttl.toMillis())))
                .thenApply(done -> null);
    }

    @Override
    public CompletionStage<Set<String>> idsOf(String principal, Deadline deadline) {
        Executor executor = caller();
        return redis.call(deadline, executor, c -> c.smembers(indexKey(principal))).thenCompose(ids -> {
            List<String> listed = List.copyOf(ids);
            List<CompletableFuture<Long>> live = listed.stream()
                    .map(id -> redis.call(deadline, executor, c -> c.exists(key(id)))).toList();
            return CompletableFuture.allOf(live.toArray(CompletableFuture[]::new)).thenApply(done -> {
                Set<String> alive = new HashSet<>();
                for (int i = 0; i < listed.size(); i++) {
                    if (live.get(i).join() > 0) {
                        alive.add(listed.get(i));
                    }
                }
                return alive;
            });
        });
    }

    @Override
    public CompletionStage<Integer> deleteAllOf(String principal, Deadline deadline) {
        Executor executor = caller();
        return redis.call(deadline, executor, c -> c.smembers(indexKey(principal))).thenCompose(ids -> {
            if (ids.isEmpty()) {
                return CompletableFuture.completedFuture(0);
            }
            String[] keys = ids.stream().map(this::key).toArray(String[]::new);
            return redis.call(deadline, executor, c -> c.del(keys)).thenCompose(deleted ->
                    redis.call(deadline, executor, c -> c.del(indexKey(principal))).thenApply(done -> deleted.intValue()));
        });
    }

    private Executor caller() {
        return redis.callers().current();
    }
}
