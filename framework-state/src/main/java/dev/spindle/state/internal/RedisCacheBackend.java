package dev.spindle.state.internal;

import dev.spindle.core.Deadline;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Entries as Redis strings under {@code <prefix>cache:<name>:{<key>}}, the load lease beside them
 * under the same name plus {@code :lease}. The braces make the two share a hash slot, so the
 * scripts that touch both run on Redis Cluster too.
 */
public final class RedisCacheBackend implements CacheBackend {

    private static final Script READ_OR_LEASE = Script.of("""
            local value = redis.call('GET', KEYS[1])
            if value then return {1, value} end
            if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2, ''} end
            return {0, ''}
            """);
    private static final Script WRITE = Script.of("""
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
            return 1
            """);
    private static final Script RELEASE = Script.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """);

    private final LettuceConnection redis;
    private final String namespace;

    public RedisCacheBackend(LettuceConnection redis, String name) {
        SessionIds.seed();
        this.redis = redis;
        this.namespace = "cache:" + name + ":";
    }

    private String key(String key) {
        return redis.key(namespace + "{" + key + "}");
    }

    private String leaseKey(String key) {
        return key(key) + ":lease";
    }

    @Override
    public CompletionStage<Optional<CacheEntry>> read(String key, Deadline deadline) {
        return redis.call(deadline, c -> c.get(key(key)))
                .thenApply(raw -> raw == null ? Optional.empty() : Optional.of(CacheEntry.decode(raw)));
    }

    @Override
    public CompletionStage<Probe> readOrLease(String key, Duration lease, Deadline deadline) {
        String token = SessionIds.next();
        return redis.<List<Object>>script(deadline, READ_OR_LEASE, ScriptOutputType.MULTI,
                new String[] {key(key), leaseKey(key)}, token, Long.toString(lease.toMillis())).thenApply(reply -> {
                    long kind = (Long) reply.get(0);
                    if (kind == 1) {
                        return new Probe(Optional.of(CacheEntry.decode((String) reply.get(1))), false, null);
                    }
                    return new Probe(Optional.empty(), kind == 2, kind == 2 ? token : null);
                });
    }

    @Override
    public CompletionStage<Probe> lease(String key, Duration lease, Deadline deadline) {
        String token = SessionIds.next();
        return redis.call(deadline, c -> c.set(leaseKey(key), token, SetArgs.Builder.nx().px(lease.toMillis())))
                .thenApply(ok -> new Probe(Optional.empty(), "OK".equals(ok), "OK".equals(ok) ? token : null));
    }

    @Override
    public CompletionStage<Void> write(String key, CacheEntry entry, Duration ttl, String token, Deadline deadline) {
        return redis.<Long>script(deadline, WRITE, ScriptOutputType.INTEGER, new String[] {key(key), leaseKey(key)},
                entry.encode(), Long.toString(Math.max(1, ttl.toMillis())), token == null ? "" : token)
                .thenApply(done -> null);
    }

    @Override
    public CompletionStage<Void> release(String key, String token, Deadline deadline) {
        return redis.<Long>script(deadline, RELEASE, ScriptOutputType.INTEGER, new String[] {leaseKey(key)}, token)
                .thenApply(done -> null);
    }

    @Override
    public CompletionStage<Void> delete(String key, Deadline deadline) {
        return redis.call(deadline, c -> c.del(key(key))).thenApply(count -> null);
    }

    @Override
    public Long size() {
        return null;
    }

    @Override
    public Long evictions() {
        return null;
    }
}
