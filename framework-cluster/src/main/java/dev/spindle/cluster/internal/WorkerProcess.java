package dev.spindle.cluster.internal;

/** One worker JVM as the supervisor sees it; touched only on the supervisor's thread. */
final class WorkerProcess {

    enum State { STARTING, READY, STOPPING }

    final int slot;
    final Process process;
    final int requestedMetricsPort;
    final long startedNanos = System.nanoTime();
    State state = State.STARTING;
    int metricsPort = -1;
    /** Set when the supervisor stopped it on purpose: its exit is not a death to repair. */
    boolean retiring;

    WorkerProcess(int slot, Process process, int requestedMetricsPort) {
        this.slot = slot;
        this.process = process;
        this.requestedMetricsPort = requestedMetricsPort;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public String toString() {
        return "worker " + slot + " (pid " + process.pid() + ")";
    }
}
