package dev.spindle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.Config;
import dev.spindle.core.ConfigException;
import dev.spindle.core.Setting;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each HTTP limit refuses, at start-up and by name, the values that used to break the server later. */
class HttpSettingsRangeTest {

    private static void refused(Setting<?> setting, String value, String range) {
        assertThatThrownBy(() -> Config.load(Map.of(setting.envName(), value), Map.of()))
                .as("%s=%s", setting.key(), value)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + setting.key() + "'")
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining(range);
    }

    // Sizes of 2 GiB or more passed parsing and then threw ArithmeticException in Math.toIntExact.
    @Test
    void sizesKeptInAnIntRefuse2GiBAndMore() {
        refused(HttpSettings.MAX_REQUEST_LINE, "2GiB", "between 64B and 16MiB");
        refused(HttpSettings.MAX_HEADER_SIZE, "4GiB", "between 256B and 16MiB");
        refused(HttpSettings.GZIP_MIN_SIZE, "2GiB", "between 0B and 1GiB");
    }

    // A zero header-read or idle timeout closed every connection; a zero deadline failed every request.
    @Test
    void zeroTimeoutsAreRefused() {
        refused(HttpSettings.HEADER_READ_TIMEOUT, "0s", "between 100ms and 1h");
        refused(HttpSettings.IDLE_TIMEOUT, "0ms", "between 100ms and 1d");
        refused(HttpSettings.REQUEST_DEADLINE, "0s", "between 1ms and 1d");
    }

    // A deadline of centuries overflowed System.nanoTime() arithmetic into the past: every request got 503.
    @Test
    void hugeDurationsAreRefusedInsteadOfOverflowing() {
        refused(HttpSettings.REQUEST_DEADLINE, "106751d", "between 1ms and 1d");
        refused(HttpSettings.IDLE_TIMEOUT, "PT2562047H", "between 100ms and 1d");
        refused(HttpSettings.SHED_LAG, "2m", "between 0s and 1m");
    }

    @Test
    void boundsThemselvesAreAccepted() {
        Config config = Config.load(Map.of("SPINDLE_HTTP_MAX_HEADER_SIZE", "16MiB", "SPINDLE_HTTP_REQUEST_DEADLINE", "1d",
                "SPINDLE_HTTP_SHED_LAG", "0s"), Map.of());

        assertThat(Math.toIntExact(config.get(HttpSettings.MAX_HEADER_SIZE))).isEqualTo(16 << 20);
        assertThat(config.get(HttpSettings.REQUEST_DEADLINE)).hasDays(1);
        assertThat(config.get(HttpSettings.SHED_LAG)).isZero();
    }
}
