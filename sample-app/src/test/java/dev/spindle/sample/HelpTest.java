package dev.spindle.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Config;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code --help} lists every setting with its variable, its value and where the value came from. */
class HelpTest {

    @Test
    void printsEverySettingWithItsEnvironmentVariableValueAndSource() {
        Config config = Config.builder().classpathFile().set("sample.reputation-delay", "2s")
                .set("sample.api-key", "s3cret-value").build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Help.print(config, new PrintStream(out, true, StandardCharsets.UTF_8));

        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help).contains("Usage: java -jar sample-app.jar [--help | --train]")
                .contains("  server.port = 8080  (default)")
                .contains("env SPINDLE_SERVER_PORT, PORT; -Dspindle.server.port;")
                .contains("  sample.reputation-delay = 2s")
                .contains("  sample.demo-routes = true  (default)")
                .contains("  sample.report-retention = 24h  (default)")
                .contains("env SPINDLE_SAMPLE_HOUSEKEEPING_INTERVAL; -Dspindle.sample.housekeeping-interval;")
                .contains("REDIS_URL")
                .contains("  sample.api-key = (set, not shown)")
                .doesNotContain("s3cret-value");
        for (var setting : config.knownSettings()) {
            assertThat(help).contains("  " + setting.key() + " = ");
        }
    }

    @Test
    void writesDurationsTheWaySettingsAreWritten() {
        assertThat(Help.format(Duration.ofMillis(300))).isEqualTo("300ms");
        assertThat(Help.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(Help.format(Duration.ofMinutes(30))).isEqualTo("30m");
        assertThat(Help.format(Duration.ofHours(8))).isEqualTo("8h");
        assertThat(Help.format(Duration.ZERO)).isEqualTo("0s");
    }
}
