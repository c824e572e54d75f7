package dev.spindle.core;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.spi.SettingsProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Typed, layered configuration. Later layers win:
 *
 * <ol>
 *   <li>each {@link Setting}'s default;</li>
 *   <li>{@code spindle.properties} on the class path (an application's embedded defaults);</li>
 *   <li>the properties file named by {@code SPINDLE_CONFIG} or {@code -Dspindle.config};</li>
 *   <li>environment variables ({@code SPINDLE_SERVER_PORT}, and aliases such as {@code PORT});</li>
 *   <li>system properties ({@code -Dspindle.server.port=9000}).</li>
 * </ol>
 *
 * <p>Every value is parsed when the configuration is built, and a key that no module declares
 * is refused, so a typo or a malformed value stops start-up with a message that names the key,
 * where it came from and the expected form.
 *
 * <pre>{@code
 * Config config = Config.load();
 * int port = config.get(HttpSettings.PORT);
 * }</pre>
 */
public final class Config {

    /** Environment variable naming an external properties file. */
    public static final String FILE_ENV = "SPINDLE_CONFIG";
    /** System property naming an external properties file. */
    public static final String FILE_PROPERTY = "spindle.config";

    private final Map<String, Setting<?>> known;
    private final Map<Setting<?>, Object> values;
    private final Map<String, Value> raw;

    private Config(Map<String, Setting<?>> known, Map<String, Value> raw) {
        this.known = known;
        this.raw = raw;
        this.values = new HashMap<>();
        for (Value value : raw.values()) {
            Setting<?> setting = known.get(value.key());
            if (setting == null) {
                throw new ConfigException("Unknown setting '" + value.key() + "' (from " + value.source()
                        + "); known settings are " + new TreeSet<>(known.keySet()));
            }
            values.put(setting, parse(setting, value));
        }
    }

    /** Loads every layer: class path file, external file, environment and system properties. */
    public static Config load() {
        return builder().classpathFile().externalFile().environment(System.getenv()).systemProperties().build();
    }

    /** An empty builder: defaults only, until layers are added. Tests start here. */
    public static Builder builder() {
        return new Builder();
    }

    /** The value of a setting, or its default when no layer sets it. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        requireNonNull(setting, "setting");
        Object value = values.get(setting);
        if (value != null) {
            return (T) value;
        }
        Value rawValue = raw.get(setting.key());
        if (rawValue != null) {
            return parse(setting, rawValue);
        }
        return setting.defaultValue();
    }

    /** Whether some layer set this setting explicitly. */
    public boolean isSet(Setting<?> setting) {
        return raw.containsKey(setting.key());
    }

    /** Where the setting's value came from, e.g. {@code environment variable PORT}, or {@code default}. */
    public String sourceOf(Setting<?> setting) {
        Value value = raw.get(setting.key());
        return value == null ? "default" : value.source();
    }

    /** The keys all modules on the class path declare. */
    public List<Setting<?>> knownSettings() {
        return List.copyOf(known.values());
    }

    private static <T> T parse(Setting<T> setting, Value value) {
        try {
            return setting.parse(value.text());
        } catch (RuntimeException e) {
            throw new ConfigException("Invalid value for '" + setting.key() + "' (from " + value.source() + "): '"
                    + value.text() + "' (expected: " + setting.expected() + ")");
        }
    }

    private record Value(String key, String text, String source) {}

    /** Builds a {@link Config} from chosen layers; each call adds a layer above the previous ones. */
    public static final class Builder {

        private final Map<String, Setting<?>> known = new LinkedHashMap<>();
        private final Map<String, Value> raw = new LinkedHashMap<>();

        private Builder() {
            for (SettingsProvider provider : ServiceLoader.load(SettingsProvider.class, Config.class.getClassLoader())) {
                declare(provider.settings());
            }
        }

        /** Declares settings beyond those of the modules' providers (an application's own). */
        public Builder declare(List<? extends Setting<?>> settings) {
            for (Setting<?> setting : settings) {
                known.put(setting.key(), setting);
            }
            return this;
        }

        /** Adds {@code spindle.properties} from the class path, if there is one. */
        public Builder classpathFile() {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try (InputStream in = (loader != null ? loader : Config.class.getClassLoader())
                    .getResourceAsStream("spindle.properties")) {
                if (in != null) {
                    Properties properties = new Properties();
                    properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                    properties.stringPropertyNames().forEach(
                            key -> put(key, properties.getProperty(key), "classpath:spindle.properties"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read spindle.properties from the class path", e);
            }
            return this;
        }

        /** Adds the file named by {@code -Dspindle.config} or {@code SPINDLE_CONFIG}, if either is set. */
        public Builder externalFile() {
            String path = System.getProperty(FILE_PROPERTY, System.getenv(FILE_ENV));
            return path == null || path.isBlank() ? this : file(Path.of(path));
        }

        /** Adds a properties file, which must exist. */
        public Builder file(Path path) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException("Cannot read configuration file " + path + ": " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(key -> put(key, properties.getProperty(key), "file " + path));
            return this;
        }

        /**
         * Adds environment variables: {@code SPINDLE_*} names, and each setting's aliases (an alias
         * yields to the {@code SPINDLE_} name when both are set). An unknown {@code SPINDLE_*} name fails.
         */
        public Builder environment(Map<String, String> environment) {
            Map<String, Setting<?>> byEnvName = new HashMap<>();
            for (Setting<?> setting : known.values()) {
                byEnvName.put(setting.envName(), setting);
                for (String alias : setting.envAliases()) {
                    String value = environment.get(alias);
                    if (value != null && !environment.containsKey(setting.envName())) {
                        put(setting.key(), value, "environment variable " + alias);
                    }
                }
            }
            environment.forEach((name, value) -> {
                if (name.startsWith("SPINDLE_") && !name.equals(FILE_ENV)) {
                    Setting<?> setting = byEnvName.get(name);
                    put(setting == null ? name : setting.key(), value, "environment variable " + name);
                }
            });
            return this;
        }

        /** Adds {@code spindle.*} system properties. */
        public Builder systemProperties() {
            Properties properties = System.getProperties();
            for (String name : properties.stringPropertyNames()) {
                if (name.startsWith("spindle.") && !name.equals(FILE_PROPERTY)) {
                    put(name.substring("spindle.".length()), properties.getProperty(name), "system property " + name);
                }
            }
            return this;
        }

        /** Sets one key, above every layer added so far. */
        public Builder set(String key, String value) {
            return put(requireNonNull(key, "key"), requireNonNull(value, "value"), "code");
        }

        /** Sets one setting, above every layer added so far. */
        public <T> Builder set(Setting<T> setting, String value) {
            return set(setting.key(), value);
        }

        private Builder put(String key, String value, String source) {
            raw.remove(key);
            raw.put(key, new Value(key, value, source));
            return this;
        }

        /** Parses and checks every value. */
        public Config build() {
            return new Config(Map.copyOf(known), Map.copyOf(raw));
        }
    }
}
