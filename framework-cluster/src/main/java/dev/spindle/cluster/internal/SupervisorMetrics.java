package dev.spindle.cluster.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every supervisor event, counted ({@code spindle.cluster.*}), beside the log line that reports it.
 */
final class SupervisorMetrics {

    private final MeterRegistry registry;

    SupervisorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void workerStarted() {
        count("spindle.cluster.worker.starts", "Worker processes started", null, null);
    }

    void workerReady() {
        count("spindle.cluster.worker.ready", "Workers that reported readiness", null, null);
    }

    /** A worker exit by cause: stopped (by the supervisor), crashed (after readiness), start-failed, killed-at-timeout. */
    void workerExited(String cause) {
        count("spindle.cluster.worker.exits", "Worker processes that exited, by cause", "cause", cause);
    }

    void workerRestartScheduled() {
        count("spindle.cluster.worker.restarts", "Replacements scheduled for workers that died", null, null);
    }

    void crashLoop() {
        count("spindle.cluster.crash.loops", "Times the crash-loop guard stopped the cluster", null, null);
    }

    /** A rolling restart's end: completed, aborted (a new worker did not become ready), refused (one already running). */
    void rollingRestart(String result) {
        count("spindle.cluster.rolling.restarts", "Rolling restarts, by result", "result", result);
    }

    private void count(String name, String description, String tag, String value) {
        Counter.Builder builder = Counter.builder(name).description(description);
        if (tag != null) {
            builder.tag(tag, value);
        }
        builder.register(registry).increment();
    }
}
