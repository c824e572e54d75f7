package dev.spindle.state.internal;

import dev.spindle.core.Deadline;
import dev.spindle.state.Rate;
import dev.spindle.state.RateLimiter;
import dev.spindle.state.RedisConnection;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@link Gcra} in one Lua script per request: read the key's TAT, decide, write it back, all in
 * one round trip and atomically, so instances sharing the Redis share the count exactly. The key
 * lives one period (at least a minute) after its last allowed request, by which time it is full
 * again: Redis's own clock only collects idle keys, it never decides. One key per client key, so it runs on Redis Cluster. The time is the
 * caller's clock, passed in, so a test can drive it.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final Script ACQUIRE = Script.of("""
            local now = tonumber(ARGV[1])
            local interval = tonumber(ARGV[2])
            local period = tonumber(ARGV[3])
            local stored = redis.call('GET', KEYS[1])
            local tat = now
            if stored then tat = math.max(tonumber(stored), now) end
            local new_tat = tat + interval
            local allow_at = new_tat - period
            if now < allow_at then
              return {0, allow_at - now, tat - now}
            end
            redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.max(60000, math.ceil(period / 1000)))
            return {1, 0, new_tat - now}
            """);

    private final RedisConnection redis;
    private final Rate rate;
    private final Clock clock;
    private final String prefix;

    public RedisRateLimiter(RedisConnection redis, Rate rate, Clock clock) {
        this.redis = redis;
        this.rate = rate;
        this.clock = clock;
        this.prefix = redis.key("ratelimit:" + rate.name() + ":");
    }

    @Override
    public Rate rate() {
        return rate;
    }

    @Override
    public CompletionStage<Decision> acquire(String key, Deadline deadline) {
        String[] keys = {prefix + key};
        String[] args = {Long.toString(Gcra.nowMicros(clock)), Long.toString(rate.intervalMicros()),
            Long.toString(rate.periodMicros())};
        return redis.<List<Object>>call(deadline, c -> c.evalsha(ACQUIRE.sha(), ScriptOutputType.MULTI, keys, args))
                .exceptionallyCompose(failure -> RedisFailures.unwrap(failure) instanceof RedisNoScriptException
                        ? redis.<List<Object>>call(deadline, c -> c.eval(ACQUIRE.source(), ScriptOutputType.MULTI, keys,
                                args))
                        : java.util.concurrent.CompletableFuture.failedStage(failure))
                .thenApply(reply -> Gcra.decision(rate, ((Long) reply.get(0)) == 1L, (Long) reply.get(1),
                        (Long) reply.get(2)));
    }
}
