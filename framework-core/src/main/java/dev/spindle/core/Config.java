package dev.spindle.core;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.spi.SettingsProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

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
 * <p>Every value is parsed and range-checked when the configuration is built, so a malformed
 * value stops start-up with a message that names the key, where it came from and the expected
 * form. Unknown keys follow one rule, so that typos in the operator's own configuration stay loud
 * while variables the platform injects never stop a deployment:
 *
 * <ul>
 *   <li>an unknown key in a properties file, a {@code spindle.*} system property or code fails;</li>
 *   <li>an unknown {@code SPINDLE_*} environment variable is ignored with one WARN per process
 *       (naming the closest setting when one is near); names shaped like Kubernetes service links
 *       ({@code SPINDLE_PORT=tcp://10.0.0.5:8080}, {@code SPINDLE_SERVICE_HOST},
 *       {@code SPINDLE_PORT_8080_TCP_ADDR}) get one INFO line instead;</li>
 *   <li>a service-link value ({@code tcp://host:port}) on a setting's own {@code *_PORT} variable is
 *       ignored with a WARN, never parsed as that setting.</li>
 * </ul>
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

    /** Loads every layer: class path file, external file, the JVM's environment and system properties. */
    public static Config load() {
        return load(System.getenv(), jvmProperties());
    }

    /**
     * Loads every layer from the given environment and system properties instead of the JVM's, so
     * that tests and embedders see exactly what they pass (never a flag the build tool set).
     */
    public static Config load(Map<String, String> environment, Map<String, String> systemProperties) {
        return builder().classpathFile().externalFile(environment, systemProperties).environment(environment)
                .systemProperties(systemProperties).build();
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

    private static Map<String, String> jvmProperties() {
        Properties properties = System.getProperties();
        Map<String, String> copy = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            copy.put(name, properties.getProperty(name));
        }
        return copy;
    }

    /** One raw value and where it came from. */
    record Value(String key, String text, String source) {}

    /** Builds a {@link Config} from chosen layers; each call adds a layer above the previous ones. */
    public static final class Builder {

        private final Map<String, Setting<?>> known = new LinkedHashMap<>();
        /** Layers in the order added; read at {@link #build()}, when every setting is declared. */
        private final List<Function<Map<String, Setting<?>>, Map<String, Value>>> layers = new ArrayList<>();

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
                    properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                    add(values(properties, "classpath:spindle.properties"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read spindle.properties from the class path", e);
            }
            return this;
        }

        /** Adds the file named by the JVM's {@code -Dspindle.config} or {@code SPINDLE_CONFIG}, if either is set. */
        public Builder externalFile() {
            return externalFile(System.getenv(), jvmProperties());
        }

        /** Adds the file named by {@code spindle.config} in {@code systemProperties}, else {@code SPINDLE_CONFIG}. */
        public Builder externalFile(Map<String, String> environment, Map<String, String> systemProperties) {
            String path = systemProperties.getOrDefault(FILE_PROPERTY, environment.get(FILE_ENV));
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
            return add(values(properties, "file " + path));
        }

        /**
         * Adds environment variables: {@code SPINDLE_*} names, and each setting's aliases (an alias
         * yields to the {@code SPINDLE_} name when both are set). Names that no setting declares are
         * ignored with a warning, never fatal: the platform shares this namespace (see the class doc).
         */
        public Builder environment(Map<String, String> environment) {
            Map<String, String> copy = Map.copyOf(environment);
            layers.add(declared -> EnvironmentLayer.read(copy, declared));
            return this;
        }

        /** Adds the JVM's {@code spindle.*} system properties. */
        public Builder systemProperties() {
            return systemProperties(jvmProperties());
        }

        /** Adds the {@code spindle.*} entries of {@code properties}; an unknown one fails at {@link #build()}. */
        public Builder systemProperties(Map<String, String> properties) {
            Map<String, Value> values = new LinkedHashMap<>();
            new TreeMap<>(properties).forEach((name, value) -> {
                if (name.startsWith("spindle.") && !name.equals(FILE_PROPERTY)) {
                    String key = name.substring("spindle.".length());
                    values.put(key, new Value(key, value, "system property " + name));
                }
            });
            return add(values);
        }

        /** Sets one key, above every layer added so far. */
        public Builder set(String key, String value) {
            requireNonNull(key, "key");
            return add(Map.of(key, new Value(key, requireNonNull(value, "value"), "code")));
        }

        /** Sets one setting, above every layer added so far. */
        public <T> Builder set(Setting<T> setting, String value) {
            return set(setting.key(), value);
        }

        private Builder add(Map<String, Value> values) {
            Map<String, Value> copy = Collections.unmodifiableMap(new LinkedHashMap<>(values));
            layers.add(declared -> copy);
            return this;
        }

        private static Map<String, Value> values(Properties properties, String source) {
            Map<String, Value> values = new LinkedHashMap<>();
            for (String key : new TreeSet<>(properties.stringPropertyNames())) {
                values.put(key, new Value(key, properties.getProperty(key), source));
            }
            return values;
        }

        /** Reads every layer, later ones winning, then parses and checks every value. */
        public Config build() {
            Map<String, Setting<?>> declared = Map.copyOf(known);
            Map<String, Value> raw = new LinkedHashMap<>();
            for (Function<Map<String, Setting<?>>, Map<String, Value>> layer : layers) {
                raw.putAll(layer.apply(declared));
            }
            return new Config(declared, Collections.unmodifiableMap(raw));
        }
    }
}
