package dev.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values that would spin a loop, overflow a deadline or an int are configuration errors at start-up. */
class SettingRangeTest {

    private static final Setting<Duration> TIMEOUT =
            Setting.duration("app.timeout", Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofDays(1));
    private static final Setting<Long> BUFFER = Setting.bytes("app.buffer", 8192, 1, Integer.MAX_VALUE);

    private static Config.Builder builder() {
        return Config.builder().declare(List.of(TIMEOUT, BUFFER));
    }

    @Test
    void rangedDurationRefusesZeroNamingKeyAndRange() {
        assertThatThrownBy(() -> builder().set(TIMEOUT, "0ms").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'app.timeout'")
                .hasMessageContaining("'0ms'")
                .hasMessageContaining("between 1ms and 1d");
    }

    @Test
    void hugeDurationsAreRefusedInsteadOfOverflowing() {
        for (String huge : List.of("2d", "200000d", "PT2562047H", "9223372036854775807ms")) {
            assertThatThrownBy(() -> builder().set(TIMEOUT, huge).build()).as(huge)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("between 1ms and 1d");
        }
    }

    @Test
    void unrangedDurationStopsAtAYearSoNanoTimeArithmeticCannotOverflow() {
        Setting<Duration> open = Setting.duration("app.open", Duration.ZERO);
        Config.Builder builder = Config.builder().declare(List.of(open));

        assertThat(builder.set(open, "365d").build().get(open)).isEqualTo(Setting.MAX_DURATION);
        assertThatThrownBy(() -> Config.builder().declare(List.of(open)).set(open, "366d").build())
                .hasMessageContaining("between 0s and 365d");
        assertThat(System.nanoTime() + Setting.MAX_DURATION.toNanos()).isPositive();
    }

    @Test
    void bytesAtOrAbove2GiBAreRefusedForAnIntSizedSetting() {
        for (String big : List.of("2GiB", "2147483648", "1TiB", "9999999999999999GiB")) {
            assertThatThrownBy(() -> builder().set(BUFFER, big).build()).as(big)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'app.buffer'")
                    .hasMessageContaining("between 1B and 2147483647B");
        }
        assertThat(builder().set(BUFFER, "2147483647").build().get(BUFFER)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void rangesReadInTheirLargestExactUnit() {
        Setting<Long> sized = Setting.bytes("app.sized", 1 << 20, 1 << 10, 1L << 30);
        Setting<Duration> timed = Setting.duration("app.timed", Duration.ofSeconds(2), Duration.ofMillis(1500),
                Duration.ofMinutes(90));

        assertThat(sized.expected()).endsWith("between 1KiB and 1GiB");
        assertThat(timed.expected()).endsWith("between 1500ms and 90m");
    }

    @Test
    void aRangeMustHoldItsDefault() {
        assertThatThrownBy(() -> Setting.duration("app.bad", Duration.ZERO, Duration.ofMillis(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app.bad");
        assertThatThrownBy(() -> Setting.bytes("app.bad", 10, 100, 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app.bad");
        assertThatThrownBy(() -> Setting.duration("app.bad", Duration.ofDays(1), Duration.ZERO, Duration.ofDays(400)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void coreTimingsRefuseValuesThatWouldSpinOrOverflow() {
        assertThatThrownBy(() -> Config.builder().set(CoreSettings.LOOP_PROBE_INTERVAL, "0s").build())
                .hasMessageContaining("'loop-monitor.probe-interval'").hasMessageContaining("between 1ms and 10s");
        assertThatThrownBy(() -> Config.builder().set(CoreSettings.LOOP_BLOCKED_THRESHOLD, "0ms").build())
                .hasMessageContaining("'loop-monitor.blocked-threshold'").hasMessageContaining("between 1ms and 1h");
        assertThatThrownBy(() -> Config.builder().set(CoreSettings.SHUTDOWN_GRACE, "100000d").build())
                .hasMessageContaining("'shutdown.grace'").hasMessageContaining("between 0s and 1d");
        assertThat(Config.builder().set(CoreSettings.LOOP_STARTUP_GRACE, "0s").build()
                .get(CoreSettings.LOOP_STARTUP_GRACE)).isZero();
    }
}
