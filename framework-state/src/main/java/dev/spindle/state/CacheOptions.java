package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * One cache's name, value type and policies. The name and the schema version namespace its keys
 * ({@code <prefix>cache:<name>:v<version>:{<hash>}<key>}) and the name tags its metrics.
 *
 * <pre>{@code
 * CacheOptions<Product> products = CacheOptions.builder("products", Product.class)
 *         .staleWhileRevalidate(Duration.ofSeconds(30))   // serve stale for 30 s while one caller refreshes
 *         .negativeTtl(Duration.ofSeconds(5))             // remember "no such product" briefly
 *         .version(2)                                     // Product changed shape: ignore entries of version 1
 *         .build();
 * }</pre>
 *
 * @param <V> the value type, stored as JSON
 */
public final class CacheOptions<V> {

    private final String name;
    private final Class<V> type;
    private final Duration staleWhileRevalidate;
    private final Duration negativeTtl;
    private final Duration leaseTime;
    private final int maxSize;
    private final Duration loadTimeout;
    private final int version;
    private final StateClock clock;

    private CacheOptions(Builder<V> builder) {
        this.loadTimeout = builder.loadTimeout;
        this.version = builder.version;
        this.clock = builder.clock;
        this.name = builder.name;
        this.type = builder.type;
        this.staleWhileRevalidate = builder.staleWhileRevalidate;
        this.negativeTtl = builder.negativeTtl;
        this.leaseTime = builder.leaseTime;
        this.maxSize = builder.maxSize;
    }

    /** A builder for a cache of {@code type} values named {@code name} (letters, digits, {@code . _ -}). */
    public static <V> Builder<V> builder(String name, Class<V> type) {
        return new Builder<>(name, type);
    }

    /** The name. */
    public String name() {
        return name;
    }

    /** The value type. */
    public Class<V> type() {
        return type;
    }

    /** How long past its TTL a value may still be served while one caller reloads it; zero: never. */
    public Duration staleWhileRevalidate() {
        return staleWhileRevalidate;
    }

    /** How long "no value" from a loader is remembered; empty: absences are not cached. */
    public Optional<Duration> negativeTtl() {
        return Optional.ofNullable(negativeTtl);
    }

    /**
     * How long one instance's claim to load a missing key lasts unless renewed; the loading
     * instance renews it while its loader runs, so others wait for the value rather than load too.
     */
    public Duration leaseTime() {
        return leaseTime;
    }

    /** Entries the in-memory cache keeps before evicting. */
    public int maxSize() {
        return maxSize;
    }

    /**
     * The longest one load may run, whoever waits for it: a loader that has not finished by then
     * fails its waiters with {@link StateUnavailableException} and frees the key for the next caller.
     */
    public Duration loadTimeout() {
        return loadTimeout;
    }

    /** The schema version of the values: entries written under another version are never read. */
    public int version() {
        return version;
    }

    /** The clock freshness, load bounds and lease renewal follow. */
    public StateClock clock() {
        return clock;
    }

    /** Builds {@link CacheOptions}. */
    public static final class Builder<V> {

        private final String name;
        private final Class<V> type;
        private Duration staleWhileRevalidate = Duration.ZERO;
        private Duration negativeTtl;
        private Duration leaseTime = Duration.ofSeconds(5);
        private int maxSize = StateSettings.CACHE_MEMORY_MAX.defaultValue();
        private Duration loadTimeout = Duration.ofSeconds(10);
        private int version = 1;
        private StateClock clock = StateClock.system();

        private Builder(String name, Class<V> type) {
            requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: letters, digits, '.', '_' or '-')");
            }
            this.name = name;
            this.type = requireNonNull(type, "type");
        }

        /** Serve values up to {@code window} past their TTL while one caller reloads them (zero turns it off). */
        public Builder<V> staleWhileRevalidate(Duration window) {
            requireNonNull(window, "window");
            if (window.isNegative()) {
                throw new IllegalArgumentException("staleWhileRevalidate: " + window + " (expected: >= 0)");
            }
            this.staleWhileRevalidate = window;
            return this;
        }

        /** Remember absences for {@code ttl} (positive). */
        public Builder<V> negativeTtl(Duration ttl) {
            this.negativeTtl = positive("negativeTtl", ttl);
            return this;
        }

        /** The longest one load may run (positive); 10 s by default. */
        public Builder<V> loadTimeout(Duration timeout) {
            this.loadTimeout = positive("loadTimeout", timeout);
            return this;
        }

        /**
         * The schema version (positive; 1 by default). Raise it when {@code V} changes in a way old
         * JSON cannot be read as: instances of the new version ignore the old entries, while
         * instances still running the old one keep reading theirs during a rolling deploy.
         */
        public Builder<V> version(int version) {
            if (version < 1) {
                throw new IllegalArgumentException("version: " + version + " (expected: > 0)");
            }
            this.version = version;
            return this;
        }

        /** The clock (the system's by default; a manual one in tests of expiry). */
        public Builder<V> clock(StateClock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The load lease (positive; 5 s by default): how long a crashed instance's claim to load a
         * key blocks the others. A live loader renews it every third of this time while it runs.
         */
        public Builder<V> leaseTime(Duration lease) {
            this.leaseTime = positive("leaseTime", lease);
            return this;
        }

        /** Entries the in-memory cache keeps (positive). */
        public Builder<V> maxSize(int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("maxSize: " + entries + " (expected: > 0)");
            }
            this.maxSize = entries;
            return this;
        }

        /** The options. */
        public CacheOptions<V> build() {
            return new CacheOptions<>(this);
        }

        private static Duration positive(String name, Duration value) {
            requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
