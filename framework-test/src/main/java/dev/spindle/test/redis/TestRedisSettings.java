package dev.spindle.test.redis;

import dev.spindle.core.Setting;
import dev.spindle.core.spi.SettingsProvider;
import java.util.List;

/**
 * Declares {@code requireRedis}, so that {@code -Dspindle.requireRedis=true} (which the test
 * support reads directly) does not fail {@code Config.load()} as an unknown setting when the test
 * kit is on the class path.
 */
public final class TestRedisSettings implements SettingsProvider {

    /** Whether Redis tests fail, rather than skip, when no Redis can be found or started. */
    public static final Setting<Boolean> REQUIRE_REDIS = Setting.bool("requireRedis", false);

    @Override
    public List<Setting<?>> settings() {
        return List.of(REQUIRE_REDIS);
    }
}
