package dev.spindle.state;

import dev.spindle.core.Setting;
import dev.spindle.core.spi.SettingsProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of framework-state, with defaults chosen for a web server rather than Lettuce's:
 * a command never waits longer than a second, reconnects back off to about a second, and
 * commands fail at once while Redis is away.
 */
public final class StateSettings implements SettingsProvider {

    /**
     * Where Redis is: {@code redis://}, {@code rediss://} (TLS), {@code redis-sentinel://} or
     * {@code redis-cluster://host1:port,host2:port} (also {@code rediss-cluster://}). Also read
     * from {@code REDIS_URL}. Unset means the in-memory twins (one instance, nothing to install).
     */
    public static final Setting<Optional<String>> REDIS_URL = Setting.optionalString("redis.url").envAlias("REDIS_URL");
    /** The longest a Redis command may take; a request's remaining deadline lowers it further. */
    public static final Setting<Duration> COMMAND_TIMEOUT =
            Setting.duration("redis.command-timeout", Duration.ofSeconds(1),
                    Duration.ofMillis(1), Duration.ofHours(1));
    /** The longest a TCP connect to Redis may take. */
    public static final Setting<Duration> CONNECT_TIMEOUT =
            Setting.duration("redis.connect-timeout", Duration.ofSeconds(1),
                    Duration.ofMillis(1), Duration.ofHours(1));
    /** Upper bound of the jittered reconnect backoff. */
    public static final Setting<Duration> RECONNECT_MAX_DELAY =
            Setting.duration("redis.reconnect-max-delay", Duration.ofSeconds(1),
                    Duration.ofMillis(1), Duration.ofHours(1));
    /** Commands in flight per connection before new ones are refused (503) instead of queued. */
    public static final Setting<Integer> REQUEST_QUEUE = Setting.integer("redis.request-queue", 8192, 16, 1 << 20);
    /** Prefix of every key this module writes, so that several apps can share one Redis. */
    public static final Setting<String> KEY_PREFIX = Setting.string("redis.key-prefix", "spindle:");

    /** Name of the session cookie; {@code __Host-sid} pins it to this host, Secure, on {@code /}. */
    public static final Setting<String> SESSION_COOKIE = Setting.string("session.cookie-name", "sid");
    /** A session unused for this long expires (sliding). */
    public static final Setting<Duration> SESSION_IDLE_TIMEOUT =
            Setting.duration("session.idle-timeout", Duration.ofMinutes(30),
                    Duration.ofMillis(1), Setting.MAX_DURATION);
    /** A session expires this long after it was created, however active. */
    public static final Setting<Duration> SESSION_ABSOLUTE_TIMEOUT =
            Setting.duration("session.absolute-timeout", Duration.ofHours(8),
                    Duration.ofMillis(1), Setting.MAX_DURATION);
    /**
     * How often a session that is only read has its expiry pushed back; reads within this interval
     * cost no write. Capped at a quarter of the idle timeout.
     */
    public static final Setting<Duration> SESSION_TOUCH_INTERVAL =
            Setting.duration("session.touch-interval", Duration.ofMinutes(1),
                    Duration.ofMillis(1), Duration.ofDays(1));
    /**
     * {@code auto}: Secure except for plain HTTP from loopback without proxy headers (local
     * development); {@code always}; {@code never} (plain-HTTP deployments only, warned at start).
     */
    public static final Setting<SessionOptions.CookieSecurity> SESSION_COOKIE_SECURE =
            Setting.oneOf("session.cookie-secure", SessionOptions.CookieSecurity.class, SessionOptions.CookieSecurity.AUTO);
    /** Whether {@code X-Forwarded-Proto: https} from a proxy marks a request as HTTPS. */
    public static final Setting<Boolean> SESSION_TRUST_FORWARDED_PROTO =
            Setting.bool("session.trust-forwarded-proto", false);
    /**
     * Comma-separated secrets that sign the session cookie with HMAC-SHA256; the first signs, all
     * verify (rotation). Unset means unsigned ids, which are already 256-bit random.
     */
    public static final Setting<Optional<String>> SESSION_SIGNING_KEYS = Setting.optionalString("session.signing-keys");
    /** Sessions the in-memory store keeps before evicting the least recently used. */
    public static final Setting<Integer> SESSION_MEMORY_MAX = Setting.integer("session.memory-max", 100_000, 1,
            Integer.MAX_VALUE);

    /**
     * Whether {@code /health/ready} includes Redis. Off by default: Redis is its own group
     * ({@code /health/redis}), so an outage answers 503 only on the routes that need it instead of
     * taking every instance out of the load balancer at once.
     */
    public static final Setting<Boolean> REDIS_READINESS = Setting.bool("redis.readiness", false);

    /** Entries each in-memory cache keeps before evicting. */
    public static final Setting<Integer> CACHE_MEMORY_MAX = Setting.integer("cache.memory-max", 10_000, 1,
            Integer.MAX_VALUE);
    /** Messages each broadcast topic keeps in Redis, so a subscriber that was briefly away misses none. */
    public static final Setting<Integer> BROADCAST_BACKLOG = Setting.integer("broadcast.backlog", 10_000, 1,
            10_000_000);

    @Override
    public List<Setting<?>> settings() {
        return List.of(REDIS_URL, COMMAND_TIMEOUT, CONNECT_TIMEOUT, RECONNECT_MAX_DELAY, REQUEST_QUEUE, KEY_PREFIX,
                SESSION_COOKIE, SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_TIMEOUT, SESSION_TOUCH_INTERVAL,
                SESSION_COOKIE_SECURE, SESSION_TRUST_FORWARDED_PROTO, SESSION_SIGNING_KEYS, SESSION_MEMORY_MAX,
                CACHE_MEMORY_MAX, BROADCAST_BACKLOG, REDIS_READINESS);
    }
}
