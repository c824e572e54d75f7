package dev.spindle.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.Config;
import dev.spindle.core.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code cluster.workers} takes a count or {@code auto}; anything else stops start-up naming the key. */
class ClusterSettingsTest {

    private static int workers(String value) {
        return Config.load(Map.of("SPINDLE_CLUSTER_WORKERS", value), Map.of()).get(ClusterSettings.WORKERS);
    }

    @Test
    void workersAreACountOrAutoForOnePerCore() {
        assertThat(workers("3")).isEqualTo(3);
        assertThat(workers("auto")).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(Config.load(Map.of(), Map.of()).get(ClusterSettings.WORKERS)).as("default: no supervisor").isEqualTo(1);
    }

    @Test
    void zeroTooManyOrWordsAreRefusedByName() {
        for (String bad : new String[] {"0", "257", "many"}) {
            assertThatThrownBy(() -> workers(bad)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cluster.workers").hasMessageContaining("auto or a number of workers");
        }
    }
}
