package dev.spindle.state.internal;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Entries as Redis strings under {@code <prefix>cache:<name>:v<version>:{<hash>}<key>}, the load
 * lease under {@code ...:lease:{<hash>}<key>}. The hash tag is a hash of the key, never the key,
 * so any key (braces included) puts an entry and its lease in one cluster slot and the scripts
 * that touch both run on Redis Cluster. A hit is one {@code GET}; scripts run only on a miss.
 */
public final class RedisCacheBackend implements CacheBackend {

    private static final Script READ_OR_LEASE = Script.of("""
            local value = redis.call('GET', KEYS[1])
            if value then
              local fresh = tonumber(string.match(value, '^(%d+)|'))
              if fresh and fresh + tonumber(ARGV[4]) > tonumber(ARGV[3]) then return {1, value} end
            end
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
    private static final Script RENEW = Script.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """);
    private static final int SCAN_BATCH = 500;

    private final LettuceConnection redis;
    private final String namespace;

    public RedisCacheBackend(LettuceConnection redis, String name, int version) {
        this.redis = redis;
        this.namespace = redis.key("cache:" + name + ":v" + version + ":");
    }

    /** The Redis key of a cache key. */
    String key(String key) {
        return namespace + "{" + Integer.toHexString(key.hashCode()) + "}" + key;
    }

    private String leaseKey(String key) {
        return namespace + "lease:{" + Integer.toHexString(key.hashCode()) + "}" + key;
    }

    @Override
    public CompletionStage<Optional<CacheEntry>> read(String key, CallScope scope) {
        return redis.call(scope, c -> c.get(key(key)))
                .thenApply(raw -> raw == null ? Optional.empty() : Optional.of(CacheEntry.decode(raw)));
    }

    @Override
    public CompletionStage<Map<String, CacheEntry>> readAll(Collection<String> keys, CallScope scope) {
        List<String> names = keys.stream().distinct().toList();
        String[] redisKeys = names.stream().map(this::key).toArray(String[]::new);
        return redis.call(scope, c -> c.mget(redisKeys)).thenApply(values -> {
            Map<String, CacheEntry> found = new HashMap<>();
            for (int i = 0; i < values.size(); i++) {
                KeyValue<String, String> value = values.get(i);
                if (value.hasValue()) {
                    found.put(names.get(i), CacheEntry.decode(value.getValue()));
                }
            }
            return found;
        });
    }

    @Override
    public CompletionStage<Probe> readOrLease(String key, Duration lease, long nowMillis, long staleMillis,
                                              CallScope scope) {
        String token = LeaseTokens.next();
        return redis.<List<Object>>script(scope, READ_OR_LEASE, ScriptOutputType.MULTI,
                new String[] {key(key), leaseKey(key)}, token, Long.toString(lease.toMillis()), Long.toString(nowMillis),
                Long.toString(staleMillis)).thenApply(reply -> {
                    long kind = (Long) reply.get(0);
                    if (kind == 1) {
                        return new Probe(Optional.of(CacheEntry.decode((String) reply.get(1))), false, null);
                    }
                    return new Probe(Optional.empty(), kind == 2, kind == 2 ? token : null);
                });
    }

    @Override
    public CompletionStage<Probe> lease(String key, Duration lease, CallScope scope) {
        String token = LeaseTokens.next();
        return redis.call(scope, c -> c.set(leaseKey(key), token, SetArgs.Builder.nx().px(lease.toMillis())))
                .thenApply(ok -> new Probe(Optional.empty(), "OK".equals(ok), "OK".equals(ok) ? token : null));
    }

    @Override
    public CompletionStage<Boolean> renew(String key, String token, Duration lease, CallScope scope) {
        return redis.<Long>script(scope, RENEW, ScriptOutputType.INTEGER, new String[] {leaseKey(key)}, token,
                Long.toString(lease.toMillis())).thenApply(renewed -> renewed != null && renewed == 1L);
    }

    @Override
    public CompletionStage<Void> write(String key, CacheEntry entry, Duration ttl, String token, CallScope scope) {
        if (token == null) {
            return redis.call(scope, c -> c.set(key(key), entry.encode(), SetArgs.Builder.px(Math.max(1, ttl.toMillis()))))
                    .thenApply(ok -> null);
        }
        return redis.<Long>script(scope, WRITE, ScriptOutputType.INTEGER, new String[] {key(key), leaseKey(key)},
                entry.encode(), Long.toString(Math.max(1, ttl.toMillis())), token == null ? "" : token)
                .thenApply(done -> null);
    }

    @Override
    public CompletionStage<Void> release(String key, String token, CallScope scope) {
        return redis.<Long>script(scope, RELEASE, ScriptOutputType.INTEGER, new String[] {leaseKey(key)}, token)
                .thenApply(done -> null);
    }

    @Override
    public CompletionStage<Void> delete(String key, CallScope scope) {
        return redis.call(scope, c -> c.del(key(key))).thenApply(count -> null);
    }

    @Override
    public CompletionStage<Void> deleteAll(CallScope scope) {
        ScanArgs args = ScanArgs.Builder.matches(globEscape(namespace) + "*").limit(SCAN_BATCH);
        return redis.call(scope, c -> c.scan(args)).thenCompose(cursor -> unlinkAndGoOn(cursor, args, scope));
    }

    /** Unlinks one page of keys, then scans the next until the cursor (across every cluster node) is finished. */
    private CompletionStage<Void> unlinkAndGoOn(KeyScanCursor<String> cursor, ScanArgs args, CallScope scope) {
        CompletionStage<Long> unlinked = cursor.getKeys().isEmpty() ? CompletableFuture.completedFuture(0L)
                : redis.call(scope, c -> c.unlink(cursor.getKeys().toArray(String[]::new)));
        if (cursor.isFinished()) {
            return unlinked.thenApply(count -> null);
        }
        return unlinked.thenCompose(count -> redis.call(scope, c -> c.scan(cursor, args)))
                .thenCompose(next -> unlinkAndGoOn(next, args, scope));
    }

    private static String globEscape(String text) {
        return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
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
