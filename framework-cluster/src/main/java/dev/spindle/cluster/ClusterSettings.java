package dev.spindle.cluster;

import dev.spindle.core.Setting;
import dev.spindle.core.spi.SettingsProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the cluster launcher, its workers, the instance registry and leader election. */
public final class ClusterSettings implements SettingsProvider {

    /**
     * Worker processes on this host: 1 runs the app in this JVM; more (or {@code auto}, one per
     * core) turns {@link Cluster#launch} into a supervisor of that many worker JVMs on one port.
     */
    public static final Setting<Integer> WORKERS = Setting.of("cluster.workers", 1, ClusterSettings::workers,
            "auto or a number of workers between 1 and 256");
    /** JVM options of each worker ({@code -Xmx512m -XX:+UseParallelGC}); by default the supervisor's own. */
    public static final Setting<Optional<String>> WORKER_JVM_OPTIONS = Setting.optionalString("cluster.worker-jvm-options");
    /** First wait before a dead worker is replaced; doubles with each death before readiness. */
    public static final Setting<Duration> RESTART_BACKOFF = Setting.duration("cluster.restart-backoff",
            Duration.ofMillis(500), Duration.ofMillis(10), Duration.ofMinutes(5));
    /** Longest wait before a dead worker is replaced. */
    public static final Setting<Duration> RESTART_BACKOFF_MAX = Setting.duration("cluster.restart-backoff-max",
            Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofHours(1));
    /**
     * Deaths before readiness in a row, of the workers of one slot, after which the supervisor
     * stops everything and exits non-zero (the crash-loop guard): restarting will not fix it.
     */
    public static final Setting<Integer> CRASH_LOOP_LIMIT = Setting.integer("cluster.crash-loop-limit", 5, 1, 1000);
    /** How long a worker may take to become ready before it counts as failed to start. */
    public static final Setting<Duration> READY_TIMEOUT = Setting.duration("cluster.ready-timeout",
            Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofHours(1));
    /** How long a stopping worker may take before it is killed (its own drain is bounded by shutdown.grace). */
    public static final Setting<Duration> STOP_TIMEOUT = Setting.duration("cluster.stop-timeout",
            Duration.ofSeconds(45), Duration.ofSeconds(1), Duration.ofHours(1));
    /**
     * Port of the supervisor's admin endpoint ({@code GET /cluster/workers},
     * {@code POST /cluster/rolling-restart}, {@code /metrics}), on {@code cluster.admin-host}; -1 for
     * none, 0 for a free port.
     */
    public static final Setting<Integer> ADMIN_PORT = Setting.integer("cluster.admin-port", -1, -1, 65535);
    /** Address of the supervisor's admin endpoint: loopback, since it can restart the cluster. */
    public static final Setting<String> ADMIN_HOST = Setting.string("cluster.admin-host", "127.0.0.1");
    /**
     * First port of the workers' own metrics endpoints (worker N on this port + N - 1), so that
     * Prometheus scrapes each worker; 0 lets each worker pick a free port, -1 for none.
     */
    public static final Setting<Integer> METRICS_PORT = Setting.integer("cluster.metrics-port", 0, -1, 65535);
    /** Address the workers' metrics endpoints listen on. */
    public static final Setting<String> METRICS_HOST = Setting.string("cluster.metrics-host", "127.0.0.1");
    /**
     * File the supervisor keeps current with every worker's metrics address, for Prometheus's
     * {@code file_sd_configs}; none by default.
     */
    public static final Setting<Optional<String>> PROMETHEUS_SD_FILE = Setting.optionalString("cluster.prometheus-sd-file");

    /** Set by the supervisor on its workers: the worker's slot, from 1; 0 outside a cluster. */
    public static final Setting<Integer> WORKER_ID = Setting.integer("cluster.worker-id", 0, 0, 1 << 20);
    /** Set by the supervisor on its workers: where its control channel listens. */
    public static final Setting<Optional<String>> CONTROL_ADDRESS = Setting.optionalString("cluster.control-address");
    /** Set by the supervisor on its workers (in their environment): proves a worker to the control channel. */
    public static final Setting<Optional<String>> CONTROL_TOKEN = Setting.optionalString("cluster.control-token");

    /** This instance's id in the registry; by default {@code HOSTNAME}, else the host name, plus the process id. */
    public static final Setting<Optional<String>> INSTANCE_ID = Setting.optionalString("cluster.instance-id");
    /** Version this instance reports to the registry (the jar's Implementation-Version by default). */
    public static final Setting<Optional<String>> INSTANCE_VERSION = Setting.optionalString("cluster.instance-version");
    /** Address other instances and operators reach this instance at; by default the host's address and server.port. */
    public static final Setting<Optional<String>> INSTANCE_ADDRESS = Setting.optionalString("cluster.instance-address");
    /** Path of the cluster view: the live instances, as JSON (put it behind the app's admin authentication). */
    public static final Setting<String> VIEW_PATH = Setting.string("cluster.view-path", "/cluster/instances");
    /** How often an instance renews its registry entry. */
    public static final Setting<Duration> HEARTBEAT_INTERVAL = Setting.duration("cluster.heartbeat-interval",
            Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10));
    /** How long an entry lives without a heartbeat: a dead instance leaves the registry within this. */
    public static final Setting<Duration> INSTANCE_TTL = Setting.duration("cluster.instance-ttl",
            Duration.ofSeconds(15), Duration.ofMillis(300), Duration.ofHours(1));
    /** How long a leader's lease lasts without renewal: the longest failover after a leader dies. */
    public static final Setting<Duration> LEASE = Setting.duration("cluster.leader-lease",
            Duration.ofSeconds(15), Duration.ofMillis(300), Duration.ofHours(1));

    static int workers(String raw) {
        if (raw.equalsIgnoreCase("auto")) {
            return Runtime.getRuntime().availableProcessors();
        }
        int workers;
        try {
            workers = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("out of range");
        }
        return workers;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(WORKERS, WORKER_JVM_OPTIONS, RESTART_BACKOFF, RESTART_BACKOFF_MAX, CRASH_LOOP_LIMIT,
                READY_TIMEOUT, STOP_TIMEOUT, ADMIN_PORT, ADMIN_HOST, METRICS_PORT, METRICS_HOST, PROMETHEUS_SD_FILE,
                WORKER_ID, CONTROL_ADDRESS, CONTROL_TOKEN, INSTANCE_ID, INSTANCE_VERSION, INSTANCE_ADDRESS,
                VIEW_PATH, HEARTBEAT_INTERVAL, INSTANCE_TTL, LEASE);
    }
}
