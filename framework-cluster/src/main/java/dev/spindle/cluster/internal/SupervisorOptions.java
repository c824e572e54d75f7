package dev.spindle.cluster.internal;

import dev.spindle.cluster.ClusterSettings;
import dev.spindle.core.Config;
import java.time.Duration;

/** What the supervisor's policy needs from the configuration. */
public record SupervisorOptions(int workers, Duration backoff, Duration backoffMax, int crashLoopLimit,
                                Duration readyTimeout, Duration stopTimeout) {

    /** Reads the {@code cluster.*} settings. */
    public static SupervisorOptions from(Config config) {
        return new SupervisorOptions(config.get(ClusterSettings.WORKERS), config.get(ClusterSettings.RESTART_BACKOFF),
                config.get(ClusterSettings.RESTART_BACKOFF_MAX), config.get(ClusterSettings.CRASH_LOOP_LIMIT),
                config.get(ClusterSettings.READY_TIMEOUT), config.get(ClusterSettings.STOP_TIMEOUT));
    }

    /** The wait before the next start of a slot whose workers died {@code failures} times in a row before readiness. */
    Duration backoffAfter(int failures) {
        long millis = backoff.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, backoffMax.toMillis()));
    }
}
