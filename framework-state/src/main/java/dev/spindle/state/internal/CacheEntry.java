package dev.spindle.state.internal;

/**
 * A cached value as JSON text, or an absence ({@code json == null}), with the wall-clock instant
 * until which it is fresh. Encoded for Redis as {@code <freshUntil>|=<json>} or {@code <freshUntil>|-}.
 *
 * @param json the value, or null for a cached absence
 * @param freshUntilMillis epoch milliseconds until which the entry is fresh
 */
public record CacheEntry(String json, long freshUntilMillis) {

    boolean absent() {
        return json == null;
    }

    boolean fresh(long nowMillis) {
        return nowMillis < freshUntilMillis;
    }

    String encode() {
        return freshUntilMillis + (json == null ? "|-" : "|=" + json);
    }

    static CacheEntry decode(String raw) {
        int bar = raw.indexOf('|');
        if (bar < 0 || bar + 1 >= raw.length()) {
            throw new IllegalStateException("Not a Spindle cache entry: " + raw.substring(0, Math.min(raw.length(), 40)));
        }
        long freshUntil = Long.parseLong(raw.substring(0, bar));
        return new CacheEntry(raw.charAt(bar + 1) == '-' ? null : raw.substring(bar + 2), freshUntil);
    }
}
