package dev.spindle.core;

import dev.spindle.core.internal.MeasuredIoHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every event loop all the time. A probe task on each loop measures how late it runs
 * (the loop's lag) into the {@code spindle.eventloop.lag} histogram; a watchdog thread notices a
 * loop whose probe has not run for longer than the threshold, captures that thread's stack and
 * logs one WARN naming the loop, how long it has been stuck, and the route and request running
 * on it. A stack already reported is only counted ({@code spindle.eventloop.blocked}) after that.
 * When the watchdog itself wakes far later than it asked (a long GC pause or a suspended VM
 * stopped every thread, the loops included), it skips that round and does not count the time it
 * overslept against any loop that has not run since ({@code spindle.eventloop.watchdog.overslept}),
 * instead of reporting every loop blocked at once; a loop still stuck afterwards is reported.
 *
 * <pre>{@code
 * LoopMonitor monitor = LoopMonitor.start(loops, registry, LoopMonitor.Options.from(config));
 * }</pre>
 */
public final class LoopMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoopMonitor.class);
    private static final int MAX_REMEMBERED_STACKS = 1024;

    private final Options options;
    private final List<Probe> probes = new ArrayList<>();
    private final Set<String> reportedStacks = ConcurrentHashMap.newKeySet();
    private final LongSupplier ticker;
    private final long startNanos;
    private final Thread watchdog;
    private final Counter overslept;
    private final AtomicLong rounds = new AtomicLong();
    /** All the time the watchdog overslept: a loop is not blamed for the part of it since its probe last ran. */
    private volatile long excusedNanos;
    private volatile boolean running = true;

    /** The monitor's settings. */
    public record Options(Duration probeInterval, Duration blockedThreshold, Duration startupGrace) {

        /** Reads the {@code loop-monitor.*} settings. */
        public static Options from(Config config) {
            return new Options(config.get(CoreSettings.LOOP_PROBE_INTERVAL),
                    config.get(CoreSettings.LOOP_BLOCKED_THRESHOLD), config.get(CoreSettings.LOOP_STARTUP_GRACE));
        }
    }

    private LoopMonitor(EventLoops loops, MeterRegistry registry, Options options, LongSupplier ticker) {
        this.options = options;
        this.ticker = ticker;
        this.startNanos = ticker.getAsLong();
        this.overslept = Counter.builder("spindle.eventloop.watchdog.overslept")
                .description("Watchdog rounds skipped because the watchdog itself woke late (a GC pause or a stopped VM)")
                .register(registry);
        int index = 0;
        for (EventLoop loop : loops.loops()) {
            probes.add(new Probe(loop, String.valueOf(index++), registry));
        }
        this.watchdog = new Thread(this::watch, "spindle-loop-watchdog");
        this.watchdog.setDaemon(true);
    }

    /** Starts probing {@code loops} and the watchdog. */
    public static LoopMonitor start(EventLoops loops, MeterRegistry registry, Options options) {
        return start(loops, registry, options, System::nanoTime);
    }

    /** As {@link #start(EventLoops, MeterRegistry, Options)}, reading time from {@code ticker} (tests pause it). */
    static LoopMonitor start(EventLoops loops, MeterRegistry registry, Options options, LongSupplier ticker) {
        LoopMonitor monitor = new LoopMonitor(loops, registry, options, ticker);
        for (Probe probe : monitor.probes) {
            probe.start();
        }
        monitor.watchdog.start();
        return monitor;
    }

    /**
     * The lag of the calling loop, smoothed over recent probes, in nanoseconds; 0 off the loops.
     * Cheap enough to read on every request (a thread-local lookup and a volatile read).
     */
    public static long currentLag() {
        Probe probe = Probe.CURRENT.getIfExists();
        return probe == null ? 0 : probe.smoothedLagNanos;
    }

    @Override
    public void close() {
        running = false;
        watchdog.interrupt();
        for (Probe probe : probes) {
            probe.stop();
        }
    }

    private void watch() {
        long thresholdNanos = options.blockedThreshold().toNanos();
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(5), thresholdNanos / 4);
        long previous = ticker.getAsLong();
        while (running) {
            LockSupport.parkNanos(tick);
            long now = ticker.getAsLong();
            long late = now - previous - tick;
            previous = now;
            if (late > thresholdNanos / 2) {
                // Whatever stopped this thread stopped the loops too: their probes are stale, not stuck.
                excusedNanos += late;
                overslept.increment();
            } else if (now - startNanos >= options.startupGrace().toNanos()) {
                for (Probe probe : probes) {
                    probe.checkStalled(now, thresholdNanos, excusedNanos);
                }
            }
            rounds.incrementAndGet();
        }
    }

    /** Watchdog rounds completed, skipped ones included (tests wait on it). */
    long rounds() {
        return rounds.get();
    }

    private void report(Probe probe, long stalledNanos, StackTraceElement[] stack) {
        String route = probe.activity.route();
        String requestId = probe.activity.requestId();
        String signature = StackSignature.of(stack);
        probe.blocked.increment();
        boolean first = reportedStacks.size() < MAX_REMEMBERED_STACKS ? reportedStacks.add(signature)
                : !reportedStacks.contains(signature);
        if (!first) {
            return;
        }
        StringBuilder trace = new StringBuilder();
        for (StackTraceElement frame : stack) {
            trace.append("\n\tat ").append(frame);
        }
        log.warn("Event loop {} ({}) blocked for {} ms in {} (request id {}); it must not run blocking or CPU-heavy "
                        + "code: use ctx.offload(...) or ctx.blocking(...). Stack of the loop thread:{}",
                probe.name, probe.thread.getName(), TimeUnit.NANOSECONDS.toMillis(stalledNanos),
                route == null ? "no request handler (framework or library code)" : route,
                requestId == null ? "-" : requestId, trace);
    }

    /** The per-loop probe: reschedules itself and records how late it ran. */
    private final class Probe implements Runnable {

        static final io.netty.util.concurrent.FastThreadLocal<Probe> CURRENT =
                new io.netty.util.concurrent.FastThreadLocal<>();

        final EventLoop loop;
        final String name;
        final Timer lag;
        final Counter blocked;
        final LoopActivity activity = new LoopActivity();
        final long intervalNanos = options.probeInterval().toNanos();
        Thread thread;
        volatile long lastRunNanos = ticker.getAsLong();
        /** The watchdog's excused time when the probe last ran; written before {@link #lastRunNanos}. */
        volatile long excusedAtRun;
        volatile long smoothedLagNanos;
        volatile double utilization;
        private MeasuredIoHandler io;
        private long windowStartNanos;
        private long expectedNanos;
        private long reportedEpisode;
        private String reportedRoute;
        private volatile boolean stopped;

        Probe(EventLoop loop, String name, MeterRegistry registry) {
            this.loop = loop;
            this.name = name;
            this.lag = Timer.builder("spindle.eventloop.lag")
                    .tag("loop", name)
                    .description("How late a task scheduled on the event loop ran: time the loop was busy or blocked")
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(50_000))
                    .maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry);
            this.blocked = Counter.builder("spindle.eventloop.blocked")
                    .tag("loop", name)
                    .description("Times the loop was stuck longer than the blocked-loop threshold")
                    .register(registry);
            Gauge.builder("spindle.eventloop.utilization", this, probe -> probe.utilization)
                    .tag("loop", name)
                    .description("Share of the last second the loop was busy (not waiting for I/O), 0 to 1")
                    .register(registry);
            Gauge.builder("spindle.eventloop.lag.recent", this, probe -> probe.smoothedLagNanos / 1e9)
                    .tag("loop", name)
                    .baseUnit("seconds")
                    .description("Recent event-loop lag, smoothed; what lag-based shedding compares")
                    .register(registry);
        }

        void start() {
            try {
                thread = loop.submit(() -> {
                    LoopActivity.bind(activity);
                    CURRENT.set(this);
                    io = MeasuredIoHandler.current();
                    windowStartNanos = System.nanoTime();
                    if (io != null) {
                        io.takeIdleNanos();
                    }
                    return Thread.currentThread();
                }).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting the loop monitor", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Event loop " + name + " did not answer the loop monitor", e);
            }
            lastRunNanos = ticker.getAsLong();
            schedule();
        }

        void stop() {
            stopped = true;
        }

        private void schedule() {
            expectedNanos = ticker.getAsLong() + intervalNanos;
            if (!loop.isShuttingDown()) {
                loop.schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void run() {
            if (stopped) {
                return;
            }
            long now = ticker.getAsLong();
            long real = System.nanoTime();
            long late = Math.max(0, now - expectedNanos);
            lag.record(late, TimeUnit.NANOSECONDS);
            smoothedLagNanos = (smoothedLagNanos * 7 + late) / 8;
            excusedAtRun = excusedNanos;
            lastRunNanos = now;
            long window = real - windowStartNanos;
            if (io != null && window >= TimeUnit.SECONDS.toNanos(1)) {
                utilization = Math.min(1, Math.max(0, 1 - (double) io.takeIdleNanos() / window));
                windowStartNanos = real;
            }
            schedule();
        }

        /**
         * Called by the watchdog: reports a stall episode once, or once more if a request handler
         * took over the still-stuck loop after the first report (so the culprit gets named).
         */
        void checkStalled(long now, long thresholdNanos, long excusedNanos) {
            long last = lastRunNanos;
            long stalled = now - last - intervalNanos - (excusedNanos - excusedAtRun);
            if (stopped || stalled < thresholdNanos || loop.isShuttingDown()) {
                return;
            }
            String route = activity.route();
            if (reportedEpisode == last && (route == null || route.equals(reportedRoute))) {
                return;
            }
            reportedEpisode = last;
            reportedRoute = route;
            report(this, stalled, thread.getStackTrace());
        }
    }
}
