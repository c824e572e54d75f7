package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Session cookie and expiry rules; defaults as DESIGN.md promises: cookie {@code sid}, HttpOnly,
 * SameSite=Lax, Path=/, Secure except for plain HTTP from loopback (local development); idle
 * timeout 30 minutes (sliding), absolute timeout 8 hours. A cookie name with the {@code __Host-}
 * or {@code __Secure-} prefix is always Secure, as browsers require.
 *
 * <pre>{@code
 * SessionOptions options = SessionOptions.builder().idleTimeout(Duration.ofMinutes(15))
 *         .signingKeys(List.of(newSecret, oldSecret)).build();
 * }</pre>
 */
public final class SessionOptions {

    /** When the cookie gets the Secure attribute. */
    public enum CookieSecurity {
        /**
         * Always, except on plain HTTP from the loopback address with no proxy headers: a browser
         * on the developer's machine. Requests over HTTPS, anything that came through a proxy, or
         * from elsewhere get Secure (a trusted proxy's {@code X-Forwarded-Proto: http} on loopback
         * counts as local).
         */
        AUTO,
        /** Always. */
        ALWAYS,
        /** Never: only for plain-HTTP deployments on a trusted network; a warning is logged at start. */
        NEVER
    }

    private final String cookieName;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final Duration touchInterval;
    private final CookieSecurity cookieSecurity;
    private final boolean trustForwardedProto;
    private final List<String> signingKeys;
    private final StateClock clock;

    private SessionOptions(Builder builder) {
        this.clock = builder.clock;
        this.cookieName = builder.cookieName;
        this.idleTimeout = builder.idleTimeout;
        this.absoluteTimeout = builder.absoluteTimeout;
        Duration quarter = builder.idleTimeout.dividedBy(4);
        this.touchInterval = builder.touchInterval.compareTo(quarter) > 0 ? quarter : builder.touchInterval;
        this.cookieSecurity = builder.cookieSecurity;
        this.trustForwardedProto = builder.trustForwardedProto;
        this.signingKeys = List.copyOf(builder.signingKeys);
    }

    /** The defaults. */
    public static SessionOptions defaults() {
        return builder().build();
    }

    /** Options from the {@code session.*} settings. */
    public static SessionOptions from(Config config) {
        Builder builder = builder().cookieName(config.get(StateSettings.SESSION_COOKIE))
                .idleTimeout(config.get(StateSettings.SESSION_IDLE_TIMEOUT))
                .absoluteTimeout(config.get(StateSettings.SESSION_ABSOLUTE_TIMEOUT))
                .touchInterval(config.get(StateSettings.SESSION_TOUCH_INTERVAL))
                .cookieSecurity(config.get(StateSettings.SESSION_COOKIE_SECURE))
                .trustForwardedProto(config.get(StateSettings.SESSION_TRUST_FORWARDED_PROTO));
        config.get(StateSettings.SESSION_SIGNING_KEYS).ifPresent(keys -> {
            List<String> list = new ArrayList<>();
            for (String key : keys.split(",")) {
                if (!key.isBlank()) {
                    list.add(key.trim());
                }
            }
            builder.signingKeys(list);
        });
        return builder.build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return builder().cookieName(cookieName).idleTimeout(idleTimeout).absoluteTimeout(absoluteTimeout)
                .touchInterval(touchInterval).cookieSecurity(cookieSecurity).trustForwardedProto(trustForwardedProto)
                .signingKeys(signingKeys).clock(clock);
    }

    /** The clock session expiry follows. */
    public StateClock clock() {
        return clock;
    }

    /** Whether the cookie name's prefix ({@code __Host-}, {@code __Secure-}) demands Secure. */
    public boolean prefixDemandsSecure() {
        return cookieName.startsWith("__Host-") || cookieName.startsWith("__Secure-");
    }

    /** The cookie name. */
    public String cookieName() {
        return cookieName;
    }

    /** A session unused for this long expires. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** A session expires this long after creation. */
    public Duration absoluteTimeout() {
        return absoluteTimeout;
    }

    /**
     * How often a read-only session is touched (at most a quarter of the idle timeout). A session
     * therefore expires between {@code idleTimeout} and {@code idleTimeout + touchInterval} after
     * its last use, never earlier.
     */
    public Duration touchInterval() {
        return touchInterval;
    }

    /** When the cookie is Secure. */
    public CookieSecurity cookieSecurity() {
        return cookieSecurity;
    }

    /** Whether {@code X-Forwarded-Proto} is believed. */
    public boolean trustForwardedProto() {
        return trustForwardedProto;
    }

    /** HMAC keys, the first of which signs; empty for unsigned cookies. */
    public List<String> signingKeys() {
        return signingKeys;
    }

    /** Builds {@link SessionOptions}. */
    public static final class Builder {

        private String cookieName = StateSettings.SESSION_COOKIE.defaultValue();
        private Duration idleTimeout = StateSettings.SESSION_IDLE_TIMEOUT.defaultValue();
        private Duration absoluteTimeout = StateSettings.SESSION_ABSOLUTE_TIMEOUT.defaultValue();
        private Duration touchInterval = StateSettings.SESSION_TOUCH_INTERVAL.defaultValue();
        private CookieSecurity cookieSecurity = CookieSecurity.AUTO;
        private boolean trustForwardedProto;
        private List<String> signingKeys = List.of();
        private StateClock clock = StateClock.system();

        private Builder() {}

        /** The clock session expiry follows (the system's by default; a manual one in tests). */
        public Builder clock(StateClock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** The cookie name (an RFC 6265 token). */
        public Builder cookieName(String name) {
            requireNonNull(name, "name");
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException("cookieName: " + name + " (expected: a token such as sid)");
            }
            this.cookieName = name;
            return this;
        }

        /** The idle timeout (positive). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idleTimeout", timeout);
            return this;
        }

        /** The absolute timeout (positive). */
        public Builder absoluteTimeout(Duration timeout) {
            this.absoluteTimeout = positive("absoluteTimeout", timeout);
            return this;
        }

        /** The touch interval (positive; capped at a quarter of the idle timeout). */
        public Builder touchInterval(Duration interval) {
            this.touchInterval = positive("touchInterval", interval);
            return this;
        }

        /** When the cookie is Secure. */
        public Builder cookieSecurity(CookieSecurity security) {
            this.cookieSecurity = requireNonNull(security, "security");
            return this;
        }

        /** Whether to believe {@code X-Forwarded-Proto} (only behind a proxy that sets it). */
        public Builder trustForwardedProto(boolean trust) {
            this.trustForwardedProto = trust;
            return this;
        }

        /** HMAC-SHA256 keys, newest first; each at least 16 characters. */
        public Builder signingKeys(List<String> keys) {
            for (String key : requireNonNull(keys, "keys")) {
                if (requireNonNull(key, "key").length() < 16) {
                    throw new IllegalArgumentException("signing key of " + key.length()
                            + " characters (expected: at least 16)");
                }
            }
            this.signingKeys = List.copyOf(keys);
            return this;
        }

        /** The options. */
        public SessionOptions build() {
            boolean prefixed = cookieName.startsWith("__Host-") || cookieName.startsWith("__Secure-");
            if (prefixed && cookieSecurity == CookieSecurity.NEVER) {
                throw new IllegalArgumentException("cookieSecurity: NEVER (expected: AUTO or ALWAYS for a cookie "
                        + "named " + cookieName + ", which browsers accept only with Secure)");
            }
            return new SessionOptions(this);
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
