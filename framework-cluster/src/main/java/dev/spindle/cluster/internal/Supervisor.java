package dev.spindle.cluster.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code workers} worker processes serving: starts them, replaces one that dies (after a
 * backoff that doubles while its slot keeps dying before readiness), gives up with a crash-loop
 * exit status when a slot dies before readiness {@code crashLoopLimit} times in a row, replaces
 * workers one at a time on a rolling restart (new one ready first, then the old one drained), and
 * drains them all on stop.
 *
 * <p>One thread owns all state: everything else (process exits, the control channel, timers,
 * signals, the admin endpoint) posts an event to its queue, and that thread runs it, so nothing
 * needs a lock.
 */
public final class Supervisor implements ControlServer.Listener {

    /** Exit status when the crash-loop guard gives up (EX_SOFTWARE). */
    public static final int CRASH_LOOP_EXIT = 70;

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** A worker as the admin endpoint shows it. */
    public record WorkerView(int slot, long pid, String state, int metricsPort, long uptimeMillis) {}

    private final SupervisorOptions options;
    private final WorkerLauncher launcher;
    private final MetricsPorts metricsPorts;
    private final SupervisorMetrics metrics;
    private final Optional<PrometheusTargets> targets;
    private final Optional<String> supervisorTarget;
    private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "spindle-cluster-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Long, WorkerProcess> workers = new LinkedHashMap<>();
    private final int[] startFailures;
    private final Deque<Integer> rolling = new ArrayDeque<>();
    private WorkerProcess rollingReplacement;
    private WorkerProcess rollingRetiree;
    private long rollingStartNanos;
    private boolean stopping;
    private int exitStatus;

    public Supervisor(SupervisorOptions options, WorkerLauncher launcher, MetricsPorts metricsPorts,
                      MeterRegistry registry, Optional<PrometheusTargets> targets, Optional<String> supervisorTarget) {
        this.options = options;
        this.launcher = launcher;
        this.metricsPorts = metricsPorts;
        this.metrics = new SupervisorMetrics(registry);
        this.targets = targets;
        this.supervisorTarget = supervisorTarget;
        this.startFailures = new int[options.workers() + 1];
        Gauge.builder("spindle.cluster.workers", workers, Map::size)
                .description("Worker processes alive, starting or stopping included").register(registry);
        Gauge.builder("spindle.cluster.workers.desired", options, SupervisorOptions::workers)
                .description("Workers the supervisor keeps serving").register(registry);
    }

    /** Starts every worker and supervises until stopped; returns the exit status for the process. */
    public int run() {
        log.info("Cluster supervisor (pid {}) starting {} workers", ProcessHandle.current().pid(), options.workers());
        for (int slot = 1; slot <= options.workers(); slot++) {
            spawn(slot);
        }
        writeTargets();
        while (!(stopping && workers.isEmpty())) {
            try {
                events.take().run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop("interrupted");
                break;
            } catch (RuntimeException e) {
                log.error("Cluster supervisor failed to handle an event; stopping the cluster", e);
                exitStatus = 1;
                beginStop("supervisor failure");
            }
        }
        timers.shutdownNow();
        log.info("Cluster supervisor stopped: every worker has exited (status {})", exitStatus);
        return exitStatus;
    }

    /** Drains every worker and makes {@link #run()} return 0 once all have exited. */
    public void stop(String cause) {
        events.add(() -> beginStop(cause));
    }

    /**
     * Replaces the workers one at a time; completes with false when one is already running or the
     * cluster is stopping.
     */
    public CompletableFuture<Boolean> rollingRestart(String cause) {
        CompletableFuture<Boolean> accepted = new CompletableFuture<>();
        events.add(() -> startRollingRestart(cause, accepted));
        return accepted;
    }

    /** The workers now, read on the supervisor's thread. */
    public CompletableFuture<List<WorkerView>> workers() {
        CompletableFuture<List<WorkerView>> result = new CompletableFuture<>();
        events.add(() -> result.complete(views()));
        return result;
    }

    @Override
    public void ready(long pid, int metricsPort) {
        events.add(() -> ready(workers.get(pid), metricsPort));
    }

    @Override
    public void rollingRestartRequested(long pid) {
        rollingRestart("asked by worker pid " + pid);
    }

    private WorkerProcess spawn(int slot) {
        int metricsPort = metricsPorts.acquire();
        Process process;
        try {
            process = launcher.start(slot, metricsPort);
        } catch (IOException e) {
            metricsPorts.release(metricsPort);
            log.error("Cannot start worker {}: {}", slot, e.toString());
            startFailed(slot, "it could not be started: " + e.getMessage());
            return null;
        }
        WorkerProcess worker = new WorkerProcess(slot, process, metricsPort);
        workers.put(worker.pid(), worker);
        metrics.workerStarted();
        log.info("Started {}", worker);
        process.onExit().thenRun(() -> events.add(() -> exited(worker)));
        schedule(() -> readyTimeout(worker), options.readyTimeout());
        return worker;
    }

    private void ready(WorkerProcess worker, int metricsPort) {
        if (worker == null || worker.state != WorkerProcess.State.STARTING) {
            return;
        }
        worker.state = WorkerProcess.State.READY;
        worker.metricsPort = metricsPort;
        startFailures[worker.slot] = 0;
        metrics.workerReady();
        log.info("{} is ready after {} ms{}", worker, elapsedMillis(worker.startedNanos),
                metricsPort > 0 ? "; metrics on port " + metricsPort : "");
        writeTargets();
        if (worker == rollingReplacement) {
            WorkerProcess old = rollingRetiree;
            rollingReplacement = null;
            if (old != null && old.process.isAlive()) {
                log.info("Rolling restart: {} replaces {}; draining the old one", worker, old);
                retire(old);
            } else {
                rollingRetiree = null;
                nextRollingStep();
            }
        }
    }

    private void exited(WorkerProcess worker) {
        if (workers.remove(worker.pid()) == null) {
            return;
        }
        metricsPorts.release(worker.requestedMetricsPort);
        int status = worker.process.exitValue();
        writeTargets();
        if (worker.retiring || stopping) {
            metrics.workerExited("stopped");
            log.info("{} exited with status {} after being stopped", worker, status);
            if (worker == rollingRetiree) {
                rollingRetiree = null;
                nextRollingStep();
            }
            return;
        }
        if (worker == rollingReplacement) {
            metrics.workerExited("start-failed");
            rollingReplacement = null;
            rollingRetiree = null;
            rolling.clear();
            metrics.rollingRestart("aborted");
            log.error("Rolling restart aborted: the new {} exited with status {} before it was ready; "
                    + "the old workers keep serving", worker, status);
            return;
        }
        if (worker.state == WorkerProcess.State.STARTING) {
            metrics.workerExited("start-failed");
            log.error("{} exited with status {} before it was ready", worker, status);
            startFailed(worker.slot, "the last exited with status " + status);
        } else {
            metrics.workerExited("crashed");
            log.error("{} died with status {} after {} ms of service; replacing it", worker, status,
                    elapsedMillis(worker.startedNanos));
            startFailures[worker.slot] = 0;
            scheduleRespawn(worker.slot);
        }
        if (worker == rollingRetiree) {
            rollingRetiree = null;
        }
    }

    private void startFailed(int slot, String detail) {
        int failures = ++startFailures[slot];
        if (failures >= options.crashLoopLimit()) {
            metrics.crashLoop();
            log.error("Crash loop: worker {} died before it was ready {} times in a row ({}). Not restarting it: "
                    + "fix the cause in the worker's log above. Stopping the cluster and exiting with status {}.",
                    slot, failures, detail, CRASH_LOOP_EXIT);
            exitStatus = CRASH_LOOP_EXIT;
            beginStop("crash loop");
            return;
        }
        scheduleRespawn(slot);
    }

    private void scheduleRespawn(int slot) {
        if (stopping) {
            return;
        }
        Duration delay = options.backoffAfter(startFailures[slot]);
        metrics.workerRestartScheduled();
        log.info("Worker {} will be replaced in {} ms", slot, delay.toMillis());
        schedule(() -> respawn(slot), delay);
    }

    private void respawn(int slot) {
        if (!stopping && workers.values().stream().noneMatch(worker -> worker.slot == slot && !worker.retiring)) {
            spawn(slot);
        }
    }

    private void readyTimeout(WorkerProcess worker) {
        if (worker.state == WorkerProcess.State.STARTING && worker.process.isAlive() && !stopping) {
            log.error("{} was not ready within {} ms; killing it", worker, options.readyTimeout().toMillis());
            worker.process.destroyForcibly();
        }
    }

    private void retire(WorkerProcess worker) {
        worker.retiring = true;
        worker.state = WorkerProcess.State.STOPPING;
        worker.process.destroy(); // SIGTERM: the worker drains and exits 0
        schedule(() -> stopTimeout(worker), options.stopTimeout());
    }

    private void stopTimeout(WorkerProcess worker) {
        if (worker.process.isAlive()) {
            metrics.workerExited("killed-at-timeout");
            log.warn("{} did not stop within {} ms; killing it", worker, options.stopTimeout().toMillis());
            worker.process.destroyForcibly();
        }
    }

    private void startRollingRestart(String cause, CompletableFuture<Boolean> accepted) {
        if (stopping || !rolling.isEmpty() || rollingReplacement != null || rollingRetiree != null) {
            metrics.rollingRestart("refused");
            log.warn("Rolling restart ({}) refused: {}", cause,
                    stopping ? "the cluster is stopping" : "one is already running");
            accepted.complete(false);
            return;
        }
        log.info("Rolling restart ({}): replacing {} workers one at a time", cause, options.workers());
        rollingStartNanos = System.nanoTime();
        for (int slot = 1; slot <= options.workers(); slot++) {
            rolling.add(slot);
        }
        accepted.complete(true);
        nextRollingStep();
    }

    private void nextRollingStep() {
        while (!rolling.isEmpty() && !stopping) {
            int slot = rolling.poll();
            WorkerProcess old = workers.values().stream()
                    .filter(worker -> worker.slot == slot && worker.state == WorkerProcess.State.READY && !worker.retiring)
                    .findFirst().orElse(null);
            if (old == null) {
                continue; // dead or starting: the replacement it gets is already new
            }
            WorkerProcess replacement = spawn(slot);
            if (replacement == null) {
                rolling.clear();
                metrics.rollingRestart("aborted");
                return;
            }
            rollingReplacement = replacement;
            rollingRetiree = old;
            return;
        }
        if (!stopping) {
            metrics.rollingRestart("completed");
            log.info("Rolling restart completed in {} ms", elapsedMillis(rollingStartNanos));
        }
    }

    private void beginStop(String cause) {
        if (stopping) {
            return;
        }
        stopping = true;
        rolling.clear();
        log.info("Stopping the cluster ({}): draining {} workers", cause, workers.size());
        for (WorkerProcess worker : workers.values()) {
            if (worker.process.isAlive() && worker.state != WorkerProcess.State.STOPPING) {
                retire(worker);
            }
        }
    }

    private void schedule(Runnable event, Duration delay) {
        timers.schedule(() -> events.add(event), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<WorkerView> views() {
        List<WorkerView> views = new ArrayList<>();
        for (WorkerProcess worker : workers.values()) {
            views.add(new WorkerView(worker.slot, worker.pid(), worker.state.name().toLowerCase(java.util.Locale.ROOT),
                    worker.metricsPort, elapsedMillis(worker.startedNanos)));
        }
        views.sort(Comparator.comparingInt(WorkerView::slot).thenComparingLong(WorkerView::uptimeMillis));
        return views;
    }

    private void writeTargets() {
        targets.ifPresent(file -> {
            List<PrometheusTargets.Target> list = new ArrayList<>();
            supervisorTarget.ifPresent(address -> list.add(new PrometheusTargets.Target(address, Map.of("role", "supervisor"))));
            for (WorkerProcess worker : workers.values()) {
                if (worker.state == WorkerProcess.State.READY && worker.metricsPort > 0) {
                    list.add(new PrometheusTargets.Target(metricsPorts.host() + ":" + worker.metricsPort,
                            Map.of("role", "worker", "worker", String.valueOf(worker.slot))));
                }
            }
            try {
                file.write(list);
            } catch (RuntimeException e) {
                log.warn("{}", e.getMessage());
            }
        });
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
