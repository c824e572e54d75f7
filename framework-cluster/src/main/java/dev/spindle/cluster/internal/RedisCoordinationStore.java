package dev.spindle.cluster.internal;

import dev.spindle.cluster.Instance;
import dev.spindle.state.RedisConnection;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Leases and registry entries in Redis. Whether a lease or an entry is alive is decided by the
 * callers' clock (the time is an argument of every script), so expiry follows one clock that tests
 * can move; Redis's own expiry is only a generous backstop that removes what nobody renews. Each
 * lease is a hash beside a counter that never expires, the fencing token, under one hash tag so
 * both live on one Redis Cluster node. A new token is at least the caller's time in microseconds,
 * so tokens keep growing even after Redis lost its data (a restart without persistence).
 */
public final class RedisCoordinationStore implements LeaseStore, RegistryStore {

    private static final String ACQUIRE = """
            local h = redis.call('HMGET', KEYS[1], 'holder', 'token', 'expires')
            local holder, token, expires = h[1], tonumber(h[2]), tonumber(h[3])
            local now = tonumber(ARGV[2])
            if not holder or not expires or expires <= now then
              token = math.max(redis.call('INCR', KEYS[2]), now * 1000)
              redis.call('SET', KEYS[2], string.format('%.0f', token))
              holder = ARGV[1]
            elseif holder ~= ARGV[1] then
              return {holder, string.format('%.0f', token), string.format('%.0f', expires)}
            end
            expires = now + tonumber(ARGV[3])
            local tokenText, expiresText = string.format('%.0f', token), string.format('%.0f', expires)
            redis.call('HSET', KEYS[1], 'holder', holder, 'token', tokenText, 'expires', expiresText)
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return {holder, tokenText, expiresText}
            """;
    private static final String RELEASE = """
            local h = redis.call('HMGET', KEYS[1], 'holder', 'token')
            if h[1] == ARGV[1] and h[2] == ARGV[2] then -- token stored as written by ACQUIRE
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;
    /** Redis's own expiry of what nobody renews: far past any lease or TTL, never the one that decides. */
    private static final long BACKSTOP_MILLIS = 10 * 60_000L;

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final RedisConnection redis;
    private final String instancesKey;

    public RedisCoordinationStore(RedisConnection redis) {
        this.redis = redis;
        this.instancesKey = redis.key("{cluster}:instances");
    }

    private String leaseKey(String duty) {
        return redis.key("{cluster:leader:" + duty + "}");
    }

    @Override
    public CompletionStage<Lease> acquire(String duty, String holder, long nowMillis, long leaseMillis) {
        String key = leaseKey(duty);
        return redis.<List<Object>>call(commands -> commands.eval(ACQUIRE, ScriptOutputType.MULTI,
                        new String[] {key, key + ":fence"}, holder, Long.toString(nowMillis), Long.toString(leaseMillis),
                        Long.toString(Math.max(BACKSTOP_MILLIS, 4 * leaseMillis))))
                .thenApply(reply -> new Lease((String) reply.get(0), Long.parseLong((String) reply.get(1)),
                        Long.parseLong((String) reply.get(2))));
    }

    @Override
    public CompletionStage<Void> release(String duty, String holder, long token) {
        return redis.<Long>call(commands -> commands.eval(RELEASE, ScriptOutputType.INTEGER,
                new String[] {leaseKey(duty)}, holder, Long.toString(token))).thenApply(deleted -> null);
    }

    @Override
    public CompletionStage<Void> put(Instance instance, long expiresAtMillis, long ttlMillis) {
        String json = JSON.writeValueAsString(toMap(instance, expiresAtMillis));
        return redis.call(commands -> commands.hset(instancesKey, instance.id(), json))
                .thenCompose(added -> redis.call(commands -> commands.pexpire(instancesKey,
                        Math.max(BACKSTOP_MILLIS, 4 * ttlMillis))))
                .thenApply(ignored -> null);
    }

    @Override
    public CompletionStage<List<Instance>> list(long nowMillis) {
        return redis.call(commands -> commands.hgetall(instancesKey)).thenApply(entries -> {
            List<Instance> live = new ArrayList<>();
            List<String> expired = new ArrayList<>();
            entries.forEach((id, json) -> {
                Map<String, Object> map = JSON.readValue(json, MAP);
                if (((Number) map.get("expiresAt")).longValue() <= nowMillis) {
                    expired.add(id);
                } else {
                    live.add(fromMap(map));
                }
            });
            if (!expired.isEmpty()) {
                redis.call(commands -> commands.hdel(instancesKey, expired.toArray(String[]::new)));
            }
            live.sort(Comparator.comparing(Instance::id));
            return live;
        });
    }

    @Override
    public CompletionStage<Void> remove(String id) {
        return redis.call(commands -> commands.hdel(instancesKey, id)).thenApply(removed -> null);
    }

    private static Map<String, Object> toMap(Instance instance, long expiresAtMillis) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", instance.id());
        map.put("address", instance.address());
        map.put("version", instance.version());
        map.put("startedAt", instance.startedAt().toEpochMilli());
        map.put("heartbeatAt", instance.heartbeatAt().toEpochMilli());
        map.put("load", instance.load());
        map.put("expiresAt", expiresAtMillis);
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Instance fromMap(Map<String, Object> map) {
        Map<String, Double> load = new LinkedHashMap<>();
        ((Map<String, Object>) map.getOrDefault("load", Map.of()))
                .forEach((name, value) -> load.put(name, ((Number) value).doubleValue()));
        return new Instance((String) map.get("id"), (String) map.get("address"), (String) map.get("version"),
                Instant.ofEpochMilli(((Number) map.get("startedAt")).longValue()),
                Instant.ofEpochMilli(((Number) map.get("heartbeatAt")).longValue()), load);
    }
}
