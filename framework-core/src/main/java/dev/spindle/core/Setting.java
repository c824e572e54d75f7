package dev.spindle.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One typed configuration key: its name, default, parser and the form it expects.
 *
 * <p>A setting named {@code server.port} is read from the {@code server.port} line of a
 * properties file, the {@code SPINDLE_SERVER_PORT} environment variable and the
 * {@code spindle.server.port} system property, plus any environment aliases it declares
 * (hosting platforms set {@code PORT}). Modules list their settings through
 * {@link dev.spindle.core.spi.SettingsProvider} so that an unknown key fails start-up.
 *
 * <pre>{@code
 * static final Setting<Integer> PORT = Setting.integer("server.port", 8080, 0, 65535).envAlias("PORT");
 * int port = config.get(PORT);
 * }</pre>
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {

    /**
     * The longest duration a setting accepts: long enough for any timeout, short enough that
     * {@code System.nanoTime() + duration} never overflows into the past.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    private static final String SIZE_FORMS = "a size like 8192, 512B, 4KiB, 10MiB or 1GiB";

    private final String key;
    private final T defaultValue;
    private final Function<String, T> parser;
    private final String expected;
    private final List<String> envAliases;

    private Setting(String key, T defaultValue, Function<String, T> parser, String expected, List<String> envAliases) {
        this.key = requireNonNull(key, "key");
        this.defaultValue = defaultValue;
        this.parser = requireNonNull(parser, "parser");
        this.expected = requireNonNull(expected, "expected");
        this.envAliases = List.copyOf(envAliases);
        if (!key.matches("[a-z][a-zA-Z0-9]*([.-][a-zA-Z0-9]+)*")) {
            throw new IllegalArgumentException("key: " + key + " (expected: dotted lower-case words, e.g. server.port)");
        }
    }

    /** An integer in {@code [min, max]}. */
    public static Setting<Integer> integer(String key, int defaultValue, int min, int max) {
        return new Setting<>(key, defaultValue, raw -> {
            return inRange(Integer.parseInt(raw.trim()), min, max);
        }, "an integer between " + min + " and " + max, List.of());
    }

    /** {@code true} or {@code false}. */
    public static Setting<Boolean> bool(String key, boolean defaultValue) {
        return new Setting<>(key, defaultValue, raw -> {
            String value = raw.trim().toLowerCase(Locale.ROOT);
            if (value.equals("true") || value.equals("false")) {
                return Boolean.valueOf(value);
            }
            throw new IllegalArgumentException("not a boolean");
        }, "true or false", List.of());
    }

    /**
     * A duration such as {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601
     * {@code PT10S}, from zero up to {@link #MAX_DURATION}. Prefer the ranged form: a timeout or
     * interval that zero would break (a spinning probe, a connection closed at once) should say so.
     */
    public static Setting<Duration> duration(String key, Duration defaultValue) {
        return duration(key, defaultValue, Duration.ZERO, MAX_DURATION);
    }

    /**
     * A duration in {@code [min, max]}, refused at start-up otherwise with a message naming the
     * key and the range, so that a value that would spin a loop (zero) or overflow a deadline
     * (centuries) never reaches the code that uses it.
     */
    public static Setting<Duration> duration(String key, Duration defaultValue, Duration min, Duration max) {
        requireNonNull(defaultValue, "defaultValue");
        checkRange(key, min.compareTo(max) <= 0 && !min.isNegative() && max.compareTo(MAX_DURATION) <= 0,
                "min <= max, both in [0s, " + Units.format(MAX_DURATION) + "]");
        checkRange(key, defaultValue.compareTo(min) >= 0 && defaultValue.compareTo(max) <= 0,
                "default " + Units.format(defaultValue) + " in range");
        return new Setting<>(key, defaultValue, raw -> inRange(Units.parseDuration(raw), min, max),
                "a duration like 250ms, 10s, 5m, 2h or PT10S, between " + Units.format(min) + " and "
                        + Units.format(max), List.of());
    }

    /** A byte size such as {@code 8192}, {@code 4KiB}, {@code 10MiB} or {@code 1GiB}; any non-negative size. */
    public static Setting<Long> bytes(String key, long defaultValue) {
        return new Setting<>(key, defaultValue, Units::parseBytes, SIZE_FORMS, List.of());
    }

    /**
     * A byte size in {@code [min, max]}, refused at start-up otherwise (name a {@code max} below
     * 2 GiB for a size the code keeps in an {@code int}).
     */
    public static Setting<Long> bytes(String key, long defaultValue, long min, long max) {
        checkRange(key, 0 <= min && min <= max, "0 <= min <= max");
        checkRange(key, min <= defaultValue && defaultValue <= max, "default " + defaultValue + " in range");
        return new Setting<>(key, defaultValue, raw -> inRange(Units.parseBytes(raw), min, max),
                SIZE_FORMS + ", between " + Units.formatBytes(min) + " and " + Units.formatBytes(max), List.of());
    }

    /** Free text; blank values are refused. */
    public static Setting<String> string(String key, String defaultValue) {
        return new Setting<>(key, defaultValue, raw -> {
            if (raw.isBlank()) {
                throw new IllegalArgumentException("blank");
            }
            return raw.trim();
        }, "a non-blank string", List.of());
    }

    /** Free text with no default: {@link Optional#empty()} unless set. */
    public static Setting<Optional<String>> optionalString(String key) {
        return new Setting<>(key, Optional.empty(), raw -> raw.isBlank() ? Optional.empty() : Optional.of(raw.trim()),
                "a string", List.of());
    }

    /**
     * A value of another form: {@code parser} throws {@link IllegalArgumentException} for a bad
     * value, and {@code expected} names the accepted forms for the start-up error.
     */
    public static <T> Setting<T> of(String key, T defaultValue, Function<String, T> parser, String expected) {
        return new Setting<>(key, defaultValue, parser, expected, List.of());
    }

    /** One of an enum's constants, matched case-insensitively with {@code -} and {@code _} alike. */
    public static <E extends Enum<E>> Setting<E> oneOf(String key, Class<E> type, E defaultValue) {
        StringBuilder names = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : ", ").append(display(constant));
        }
        return new Setting<>(key, defaultValue, raw -> {
            String wanted = raw.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (E constant : type.getEnumConstants()) {
                if (display(constant).equals(wanted)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("unknown constant");
        }, "one of " + names, List.of());
    }

    /** A copy that is also read from the given environment variable (below {@link #envName()} in precedence). */
    public Setting<T> envAlias(String variable) {
        List<String> aliases = new java.util.ArrayList<>(envAliases);
        aliases.add(requireNonNull(variable, "variable"));
        return new Setting<>(key, defaultValue, parser, expected, aliases);
    }

    /** The key as written in properties files, e.g. {@code server.port}. */
    public String key() {
        return key;
    }

    /** The value used when no source sets the key. */
    public T defaultValue() {
        return defaultValue;
    }

    /** What a valid value looks like, for error messages. */
    public String expected() {
        return expected;
    }

    /** The environment variable, e.g. {@code SPINDLE_SERVER_PORT}. */
    public String envName() {
        return envName(key);
    }

    /** Extra environment variables, e.g. {@code PORT}. */
    public List<String> envAliases() {
        return envAliases;
    }

    /** The system property, e.g. {@code spindle.server.port}. */
    public String propertyName() {
        return "spindle." + key;
    }

    T parse(String raw) {
        return parser.apply(raw);
    }

    static String envName(String key) {
        return "SPINDLE_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static String display(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static <C extends Comparable<C>> C inRange(C value, C min, C max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    private static void checkRange(String key, boolean valid, String expected) {
        if (!valid) {
            throw new IllegalArgumentException("range of " + key + " (expected: " + expected + ")");
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
