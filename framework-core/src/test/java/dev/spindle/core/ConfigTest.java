package dev.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    // Declared here rather than taken from framework-http, which core cannot see; same shape as HttpSettings.PORT.
    private static final Setting<Integer> PORT = Setting.integer("server.port", 8080, 0, 65535).envAlias("PORT");
    private static final Setting<String> NAME = Setting.string("app.name", "spindle");
    private static final Setting<Duration> TIMEOUT = Setting.duration("app.timeout", Duration.ofSeconds(10));
    private static final Setting<Long> LIMIT = Setting.bytes("app.limit", 8192);
    private static final List<Setting<?>> APP = List.of(PORT, NAME, TIMEOUT, LIMIT);

    @TempDir
    Path dir;

    private static Config.Builder builder() {
        return Config.builder().declare(APP);
    }

    private Path file(String content) throws IOException {
        Path file = dir.resolve("spindle-" + System.nanoTime() + ".properties");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void usesTheDefaultWhenNoLayerSetsAKey() {
        Config config = builder().build();

        assertThat(config.get(NAME)).isEqualTo("spindle");
        assertThat(config.isSet(NAME)).isFalse();
        assertThat(config.sourceOf(NAME)).isEqualTo("default");
    }

    @Test
    void laterLayersWinDefaultsThenFileThenEnvironmentThenSystemPropertiesThenCode() throws IOException {
        Path file = file("app.name=from-file\napp.timeout=5s\napp.limit=1KiB\nserver.port=1000\n");

        Config config = builder()
                .file(file)
                .environment(Map.of("SPINDLE_APP_NAME", "from-env", "SPINDLE_APP_TIMEOUT", "7s",
                        "SPINDLE_SERVER_PORT", "2000"))
                .systemProperties(Map.of("spindle.app.name", "from-sysprop", "user.home", "/root"))
                .set("server.port", "3000")
                .build();

        assertThat(config.get(LIMIT)).as("file beats default").isEqualTo(1024L);
        assertThat(config.get(TIMEOUT)).as("environment beats file").isEqualTo(Duration.ofSeconds(7));
        assertThat(config.get(NAME)).as("system property beats environment").isEqualTo("from-sysprop");
        assertThat(config.sourceOf(NAME)).isEqualTo("system property spindle.app.name");
        assertThat(config.get(PORT)).as("code beats every layer below it").isEqualTo(3000);
        assertThat(config.sourceOf(PORT)).isEqualTo("code");
    }

    @Test
    void readsTheExternalFileNamedBySystemPropertyBeforeTheEnvironmentVariable() throws IOException {
        Path property = file("app.name=external\n");
        Path variable = file("app.name=from-variable\napp.timeout=3s\n");

        Config both = builder().externalFile(Map.of(Config.FILE_ENV, variable.toString()),
                Map.of(Config.FILE_PROPERTY, property.toString())).build();
        Config variableOnly = builder().externalFile(Map.of(Config.FILE_ENV, variable.toString()), Map.of()).build();

        assertThat(both.get(NAME)).isEqualTo("external");
        assertThat(both.sourceOf(NAME)).isEqualTo("file " + property);
        assertThat(variableOnly.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void loadReadsOnlyTheEnvironmentAndPropertiesItIsGiven() throws IOException {
        Path file = file("shutdown.grace=4s\n");

        Config config = Config.load(Map.of(Config.FILE_ENV, file.toString(), "SPINDLE_EVENT_LOOPS", "3"),
                Map.of("spindle.shutdown.on-signal", "false"));

        assertThat(config.get(CoreSettings.SHUTDOWN_GRACE)).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.get(CoreSettings.EVENT_LOOPS)).isEqualTo(3);
        assertThat(config.get(CoreSettings.SHUTDOWN_ON_SIGNAL)).isFalse();
        assertThat(config.knownSettings()).allSatisfy(setting -> assertThat(config.sourceOf(setting))
                .isIn("default", "file " + file, "environment variable SPINDLE_EVENT_LOOPS",
                        "system property spindle.shutdown.on-signal"));
    }

    @Test
    void missingFileFailsNamingIt() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> builder().file(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void portAliasIsReadWhenAlone() {
        Config config = builder().environment(Map.of("PORT", "9000")).build();

        assertThat(config.get(PORT)).isEqualTo(9000);
        assertThat(config.sourceOf(PORT)).isEqualTo("environment variable PORT");
    }

    @Test
    void portAliasYieldsToTheSpindleVariable() {
        Config config = builder().environment(Map.of("PORT", "9000", "SPINDLE_SERVER_PORT", "9100")).build();

        assertThat(config.get(PORT)).isEqualTo(9100);
        assertThat(config.sourceOf(PORT)).isEqualTo("environment variable SPINDLE_SERVER_PORT");
    }

    @Test
    void unknownKeySetInCodeFailsNamingIt() {
        assertThatThrownBy(() -> builder().set("app.nmae", "x").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'app.nmae'")
                .hasMessageContaining("code")
                .hasMessageContaining("app.name");
    }

    @Test
    void unknownSystemPropertyFailsNamingIt() {
        assertThatThrownBy(() -> builder().systemProperties(Map.of("spindle.nope", "1", "java.version", "17")).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'nope'")
                .hasMessageContaining("system property spindle.nope");
    }

    @Test
    void unrelatedEnvironmentVariablesAreIgnored() {
        Config config = builder().environment(Map.of("HOME", "/root", "PATH", "/bin")).build();

        assertThat(config.get(PORT)).isEqualTo(8080);
    }

    @Test
    void malformedValueFailsNamingKeySourceAndExpectedForm() {
        assertThatThrownBy(() -> builder().environment(Map.of("PORT", "eighty")).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'server.port'")
                .hasMessageContaining("environment variable PORT")
                .hasMessageContaining("'eighty'")
                .hasMessageContaining("an integer between 0 and 65535");
    }

    @Test
    void outOfRangeValueFails() {
        assertThatThrownBy(() -> builder().set(PORT, "70000").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'70000'")
                .hasMessageContaining("an integer between 0 and 65535");
    }

    @Test
    void unknownKeyInAFileFailsNamingItAndTheFile() throws IOException {
        Path file = file("app.name=x\nserver.prot=9000\n");

        assertThatThrownBy(() -> builder().file(file).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'server.prot'")
                .hasMessageContaining("file " + file);
    }

    @Test
    void settingsDeclaredAfterTheEnvironmentLayerAreStillReadFromIt() {
        Setting<Boolean> late = Setting.bool("app.late", false);

        Config config = Config.builder().environment(Map.of("SPINDLE_APP_LATE", "true")).declare(List.of(late)).build();

        assertThat(config.get(late)).isTrue();
    }

    @Test
    void malformedValueInFileFailsNamingTheFile() throws IOException {
        Path file = file("app.timeout=soon\n");

        assertThatThrownBy(() -> builder().file(file).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'app.timeout'")
                .hasMessageContaining("file " + file)
                .hasMessageContaining("a duration like 250ms, 10s, 5m, 2h or PT10S");
    }

    @Test
    void parsesDurations() {
        assertThat(duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(duration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(duration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(duration("PT10S")).isEqualTo(Duration.ofSeconds(10));
        assertThat(duration("pt1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(duration(" 3s ")).isEqualTo(Duration.ofSeconds(3));
        assertThat(duration("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void refusesMalformedDurations() {
        for (String bad : List.of("", "s", "10", "10 parsecs", "-5s", "PT-1S", "ten seconds")) {
            assertThatThrownBy(() -> duration(bad)).as("'%s'", bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'app.timeout'");
        }
    }

    @Test
    void parsesByteSizes() {
        assertThat(bytes("8192")).isEqualTo(8192L);
        assertThat(bytes("512B")).isEqualTo(512L);
        assertThat(bytes("4KiB")).isEqualTo(4096L);
        assertThat(bytes("10MiB")).isEqualTo(10L << 20);
        assertThat(bytes("1GiB")).isEqualTo(1L << 30);
        assertThat(bytes("2 KiB")).isEqualTo(2048L);
    }

    @Test
    void refusesMalformedByteSizes() {
        for (String bad : List.of("", "KiB", "4KB", "4kb", "-1", "1.5MiB", "99999999999GiB")) {
            assertThatThrownBy(() -> bytes(bad)).as("'%s'", bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'app.limit'")
                    .hasMessageContaining("a size like 8192, 512B, 4KiB, 10MiB or 1GiB");
        }
    }

    @Test
    void booleansAndEnumsAcceptOnlyTheirForms() {
        Setting<Boolean> flag = Setting.bool("app.flag", false);
        Setting<Transport.Choice> transport = CoreSettings.TRANSPORT;

        Config config = builder().declare(List.of(flag)).set(flag, "TRUE").set(transport, "io_uring").build();

        assertThat(config.get(flag)).isTrue();
        assertThat(config.get(transport)).isEqualTo(Transport.Choice.IO_URING);
        assertThatThrownBy(() -> builder().declare(List.of(flag)).set(flag, "yes").build())
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> builder().set(transport, "kqueue").build())
                .hasMessageContaining("one of auto, epoll, io-uring, nio");
    }

    @Test
    void modulesDeclareTheirSettingsThroughServiceLoader() {
        Config config = Config.builder().set("shutdown.grace", "3s").build();

        assertThat(config.get(CoreSettings.SHUTDOWN_GRACE)).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.knownSettings()).contains(CoreSettings.EVENT_LOOPS, CoreSettings.SHUTDOWN_GRACE);
    }

    @Test
    void settingKeysMustBeDottedLowerCaseWords() {
        assertThatThrownBy(() -> Setting.string("Server Port", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Server Port");
        assertThat(PORT.envName()).isEqualTo("SPINDLE_SERVER_PORT");
        assertThat(PORT.propertyName()).isEqualTo("spindle.server.port");
        assertThat(Setting.duration("http.header-read-timeout", Duration.ZERO).envName())
                .isEqualTo("SPINDLE_HTTP_HEADER_READ_TIMEOUT");
    }

    private static Duration duration(String text) {
        return builder().set(TIMEOUT, text).build().get(TIMEOUT);
    }

    private static long bytes(String text) {
        return builder().set(LIMIT, text).build().get(LIMIT);
    }
}
