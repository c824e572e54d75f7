package dev.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The environment is shared with the platform: what it injects must never stop start-up. */
class EnvironmentConfigTest {

    private static final Setting<Integer> PORT = Setting.integer("server.port", 8080, 0, 65535).envAlias("PORT");
    private static final Setting<Integer> API_PORT = Setting.integer("api.port", 7000, 1, 65535);
    private static final Setting<String> NAME = Setting.string("app.name", "spindle");
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    private final Logger logger = (Logger) LoggerFactory.getLogger(Config.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    private static Config.Builder builder() {
        return Config.builder().declare(List.of(PORT, API_PORT, NAME));
    }

    /** Warnings are once per process, so each test uses names no other test has reported. */
    private static String unique(String prefix) {
        return prefix + "_" + (char) ('A' + UNIQUE.get() % 26) + UNIQUE.getAndIncrement() / 26;
    }

    private List<String> messages(Level level) {
        return logs.list.stream().filter(event -> event.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    // A Kubernetes Service named "spindle" injected SPINDLE_PORT=tcp://… and start-up failed with "Unknown setting".
    @Test
    void kubernetesServiceLinksForAServiceNamedSpindleNeverStopStartUp() {
        String service = unique("SPINDLE_LINKED");
        Map<String, String> links = Map.of(
                service + "_PORT", "tcp://10.0.0.5:8080",
                service + "_SERVICE_HOST", "10.0.0.5",
                service + "_SERVICE_PORT", "8080",
                service + "_SERVICE_PORT_HTTP", "8080",
                service + "_PORT_8080_TCP", "tcp://10.0.0.5:8080",
                service + "_PORT_8080_TCP_PROTO", "tcp",
                service + "_PORT_8080_TCP_PORT", "8080",
                service + "_PORT_8080_TCP_ADDR", "10.0.0.5");

        Config config = builder().environment(links).environment(Map.of("SPINDLE_SERVER_PORT", "9000")).build();

        assertThat(config.get(PORT)).isEqualTo(9000);
        assertThat(messages(Level.WARN)).isEmpty();
        assertThat(messages(Level.INFO)).singleElement().asString()
                .contains("Kubernetes service links").contains(links.keySet());
    }

    @Test
    void theExactVariablesOfTheIssueStartUp() {
        Config config = builder().environment(Map.of("SPINDLE_PORT", "tcp://10.0.0.5:8080",
                "SPINDLE_SERVICE_HOST", "10.0.0.5", "SPINDLE_PORT_8080_TCP_ADDR", "10.0.0.5")).build();

        assertThat(config.get(PORT)).isEqualTo(8080);
    }

    @Test
    void unknownSpindleVariableIsIgnoredWithOneWarningPerProcessNamingTheClosestSetting() {
        String typo = "SPINDLE_APP_NMAE";
        Map<String, String> environment = Map.of(typo, "x", "HOME", "/root");

        Config first = builder().environment(environment).build();
        Config second = builder().environment(environment).build();

        assertThat(first.get(NAME)).isEqualTo("spindle");
        assertThat(second.isSet(NAME)).isFalse();
        assertThat(messages(Level.WARN)).singleElement().asString()
                .contains("Ignoring environment variable " + typo).contains("did you mean SPINDLE_APP_NAME?");
    }

    @Test
    void unknownVariableFarFromEverySettingIsIgnoredWithoutASuggestion() {
        String unknown = unique("SPINDLE_SOMETHING_ELSE");

        builder().environment(Map.of(unknown, "1")).build();

        assertThat(messages(Level.WARN)).singleElement().asString()
                .isEqualTo("Ignoring environment variable " + unknown + ": no setting is named so");
    }

    @Test
    void serviceLinkValueOnASettingsOwnVariableIsNotReadAsThatSetting() {
        // A Service named "spindle-api" injects SPINDLE_API_PORT, which is also the variable of the setting api.port.
        Config config = builder().environment(Map.of("SPINDLE_API_PORT", "tcp://10.0.0.7:7000")).build();

        assertThat(config.get(API_PORT)).isEqualTo(7000);
        assertThat(config.isSet(API_PORT)).isFalse();
        assertThat(messages(Level.WARN)).singleElement().asString()
                .contains("SPINDLE_API_PORT=tcp://10.0.0.7:7000").contains("'api.port'").contains("service link");
    }

    @Test
    void aliasIsReadWhenTheSpindleVariableIsAServiceLink() {
        Config config = builder().environment(Map.of("SPINDLE_SERVER_PORT", "tcp://10.0.0.9:80", "PORT", "9000"))
                .build();

        assertThat(config.get(PORT)).isEqualTo(9000);
        assertThat(config.sourceOf(PORT)).isEqualTo("environment variable PORT");
    }

    @Test
    void malformedValueOfAKnownVariableStillFails() {
        assertThatThrownBy(() -> builder().environment(Map.of("SPINDLE_API_PORT", "seven")).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'api.port'")
                .hasMessageContaining("environment variable SPINDLE_API_PORT");
    }

    @Test
    void unknownSystemPropertyStillFailsWhileTheSameNameInTheEnvironmentOnlyWarns() {
        String name = unique("SPINDLE_SYSPROP_TWIN");

        builder().environment(Map.of(name, "1")).build();

        assertThatThrownBy(() -> builder().systemProperties(Map.of("spindle.app.nmae", "x")).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Unknown setting 'app.nmae' (from system property spindle.app.nmae)");
        assertThat(messages(Level.WARN)).singleElement().asString().contains(name);
    }

    @Test
    void suggestsOnlyNamesWithinTwoEdits() {
        assertThat(EnvironmentLayer.suggestion("SPINDLE_SERVR_PORT", Set.of("SPINDLE_SERVER_PORT")))
                .isEqualTo(" (did you mean SPINDLE_SERVER_PORT?)");
        assertThat(EnvironmentLayer.suggestion("SPINDLE_SRVR_PRT", Set.of("SPINDLE_SERVER_PORT")))
                .isEmpty();
    }
}
