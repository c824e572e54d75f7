package dev.spindle.core;

import dev.spindle.core.spi.SettingsProvider;
import java.time.Duration;
import java.util.List;

/** Settings of the core module: event loops, transport and shutdown. */
public final class CoreSettings implements SettingsProvider {

    /** Event-loop threads; 0 means one per available core. */
    public static final Setting<Integer> EVENT_LOOPS = Setting.integer("event-loops", 0, 0, 1024);
    /** Which I/O transport to use; {@code auto} prefers epoll, then NIO. */
    public static final Setting<Transport.Choice> TRANSPORT =
            Setting.oneOf("transport", Transport.Choice.class, Transport.Choice.AUTO);
    /** How long a graceful shutdown waits for in-flight requests; 0 stops at once. */
    public static final Setting<Duration> SHUTDOWN_GRACE =
            Setting.duration("shutdown.grace", Duration.ofSeconds(30), Duration.ZERO, Duration.ofDays(1));
    /**
     * How long, on a graceful stop, readiness reports false while the listener still accepts and
     * serves before draining starts: load balancers that poll readiness (a Kubernetes Service's
     * endpoints lag the pod's termination by a few seconds) stop sending first. 0 drains at once.
     */
    public static final Setting<Duration> SHUTDOWN_PRE_STOP_DELAY =
            Setting.duration("shutdown.pre-stop-delay", Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10));
    /** Whether SIGTERM and SIGINT start a graceful shutdown and then exit the process with status 0. */
    public static final Setting<Boolean> SHUTDOWN_ON_SIGNAL = Setting.bool("shutdown.on-signal", true);

    /** Workers of the CPU offload pool; 0 means one per core (the guide's UV_THREADPOOL_SIZE). */
    public static final Setting<Integer> OFFLOAD_THREADS = Setting.integer("offload.threads", 0, 0, 1024);
    /** Tasks the offload pool queues before refusing with 503. */
    public static final Setting<Integer> OFFLOAD_QUEUE = Setting.integer("offload.queue", 256, 1, 1 << 20);
    /** Workers of the blocking-I/O pool. */
    public static final Setting<Integer> BLOCKING_THREADS = Setting.integer("blocking.threads", 64, 1, 4096);
    /** Tasks the blocking pool queues before refusing with 503. */
    public static final Setting<Integer> BLOCKING_QUEUE = Setting.integer("blocking.queue", 1024, 1, 1 << 20);

    /** How often each loop's lag is probed; at least 1 ms (a zero interval would spin the loop). */
    public static final Setting<Duration> LOOP_PROBE_INTERVAL = Setting.duration("loop-monitor.probe-interval",
            Duration.ofMillis(10), Duration.ofMillis(1), Duration.ofSeconds(10));
    /** How long a loop may be stuck before the blocked-loop detector reports it. */
    public static final Setting<Duration> LOOP_BLOCKED_THRESHOLD = Setting.duration("loop-monitor.blocked-threshold",
            Duration.ofMillis(100), Duration.ofMillis(1), Duration.ofHours(1));
    /** Time after start-up during which stalls are not reported (class loading and JIT warm-up). */
    public static final Setting<Duration> LOOP_STARTUP_GRACE = Setting.duration("loop-monitor.startup-grace",
            Duration.ofSeconds(5), Duration.ZERO, Duration.ofHours(1));

    @Override
    public List<Setting<?>> settings() {
        return List.of(EVENT_LOOPS, TRANSPORT, SHUTDOWN_GRACE, SHUTDOWN_PRE_STOP_DELAY, SHUTDOWN_ON_SIGNAL, OFFLOAD_THREADS, OFFLOAD_QUEUE,
                BLOCKING_THREADS, BLOCKING_QUEUE, LOOP_PROBE_INTERVAL, LOOP_BLOCKED_THRESHOLD, LOOP_STARTUP_GRACE);
    }
}
