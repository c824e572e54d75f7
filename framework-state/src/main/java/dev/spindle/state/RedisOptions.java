package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Config;
import java.time.Duration;

/**
 * How to reach Redis and how patiently: see {@link StateSettings} for each field's meaning and default.
 *
 * @param url the Redis URL ({@code redis://}, {@code rediss://}, {@code redis-sentinel://}, {@code redis-cluster://})
 * @param commandTimeout the longest a command may take
 * @param connectTimeout the longest a TCP connect may take
 * @param reconnectMaxDelay the cap of the jittered reconnect backoff
 * @param requestQueue commands in flight per connection before new ones are refused
 * @param keyPrefix prefix of every key written
 */
public record RedisOptions(String url, Duration commandTimeout, Duration connectTimeout, Duration reconnectMaxDelay,
                           int requestQueue, String keyPrefix) {

    /** Checks the parts where they enter. */
    public RedisOptions {
        requireNonNull(url, "url");
        requireNonNull(keyPrefix, "keyPrefix");
        positive("commandTimeout", commandTimeout);
        positive("connectTimeout", connectTimeout);
        positive("reconnectMaxDelay", reconnectMaxDelay);
        if (requestQueue < 1) {
            throw new IllegalArgumentException("requestQueue: " + requestQueue + " (expected: > 0)");
        }
    }

    /** Options for {@code url} with the web-server defaults. */
    public static RedisOptions of(String url) {
        return new RedisOptions(url, StateSettings.COMMAND_TIMEOUT.defaultValue(),
                StateSettings.CONNECT_TIMEOUT.defaultValue(), StateSettings.RECONNECT_MAX_DELAY.defaultValue(),
                StateSettings.REQUEST_QUEUE.defaultValue(), StateSettings.KEY_PREFIX.defaultValue());
    }

    /** Options from configuration, with {@code url} given. */
    public static RedisOptions from(Config config, String url) {
        return new RedisOptions(url, config.get(StateSettings.COMMAND_TIMEOUT), config.get(StateSettings.CONNECT_TIMEOUT),
                config.get(StateSettings.RECONNECT_MAX_DELAY), config.get(StateSettings.REQUEST_QUEUE),
                config.get(StateSettings.KEY_PREFIX));
    }

    /** A copy with another key prefix. */
    public RedisOptions keyPrefix(String prefix) {
        return new RedisOptions(url, commandTimeout, connectTimeout, reconnectMaxDelay, requestQueue, prefix);
    }

    /** A copy with another command timeout. */
    public RedisOptions commandTimeout(Duration timeout) {
        return new RedisOptions(url, timeout, connectTimeout, reconnectMaxDelay, requestQueue, keyPrefix);
    }

    /** The URL with any password masked, for logs. */
    public String redactedUrl() {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    private static void positive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
