package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.Config;
import dev.spindle.core.ConfigException;
import org.junit.jupiter.api.Test;

/** Redis and session timings refuse zero and overflowing values at start-up, by name. */
class StateSettingsRangeTest {

    // A zero touch interval reached SessionOptions and failed there with an IllegalArgumentException.
    @Test
    void zeroTimingsAreConfigErrorsNamingTheKey() {
        assertThatThrownBy(() -> Config.builder().set(StateSettings.SESSION_TOUCH_INTERVAL, "0s").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'session.touch-interval'").hasMessageContaining("between 1ms and 1d");
        assertThatThrownBy(() -> Config.builder().set(StateSettings.COMMAND_TIMEOUT, "0ms").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'redis.command-timeout'").hasMessageContaining("between 1ms and 1h");
    }

    @Test
    void sessionLifetimesStopAtAYear() {
        assertThatThrownBy(() -> Config.builder().set(StateSettings.SESSION_ABSOLUTE_TIMEOUT, "400d").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'session.absolute-timeout'").hasMessageContaining("between 1ms and 365d");
    }
}
