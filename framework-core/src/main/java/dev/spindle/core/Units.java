package dev.spindle.core;

import java.time.Duration;
import java.util.Locale;

/** Reads and writes the duration and byte-size forms settings accept ({@code 250ms}, {@code 4KiB}). */
final class Units {

    private static final String[] DURATION_UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] DURATION_NANOS = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
        1_000_000_000L, 1_000_000L};
    private static final String[] SIZE_UNITS = {"TiB", "GiB", "MiB", "KiB"};

    private Units() {}

    static Duration parseDuration(String raw) {
        String value = raw.trim();
        Duration parsed;
        if (value.regionMatches(true, 0, "P", 0, 1)) {
            parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
        } else {
            int unitAt = digits(value);
            long amount = Long.parseLong(value.substring(0, unitAt));
            parsed = switch (value.substring(unitAt).trim().toLowerCase(Locale.ROOT)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException("unknown unit");
            };
        }
        if (parsed.isNegative()) {
            throw new IllegalArgumentException("negative");
        }
        return parsed;
    }

    static long parseBytes(String raw) {
        String value = raw.trim();
        int unitAt = digits(value);
        long amount = Long.parseLong(value.substring(0, unitAt));
        String unit = value.substring(unitAt).trim();
        if (unit.isEmpty() || unit.equals("B")) {
            return amount;
        }
        for (int i = 0; i < SIZE_UNITS.length; i++) {
            if (SIZE_UNITS[i].equals(unit)) {
                return Math.multiplyExact(amount, 1L << (10 * (SIZE_UNITS.length - i)));
            }
        }
        throw new IllegalArgumentException("unknown unit");
    }

    /** The shortest exact form in the largest unit: {@code 1d}, {@code 90s}, {@code 250ms}, or ISO-8601. */
    static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        long nanos = duration.toNanos();
        for (int i = 0; i < DURATION_UNITS.length; i++) {
            if (nanos % DURATION_NANOS[i] == 0) {
                return nanos / DURATION_NANOS[i] + DURATION_UNITS[i];
            }
        }
        return duration.toString();
    }

    /** The shortest exact form in the largest binary unit: {@code 1GiB}, {@code 1536B}. */
    static String formatBytes(long bytes) {
        for (int i = 0; i < SIZE_UNITS.length; i++) {
            long unit = 1L << (10 * (SIZE_UNITS.length - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + SIZE_UNITS[i];
            }
        }
        return bytes + "B";
    }

    private static int digits(String value) {
        int end = 0;
        while (end < value.length() && Character.isDigit(value.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw new IllegalArgumentException("no number");
        }
        return end;
    }
}
