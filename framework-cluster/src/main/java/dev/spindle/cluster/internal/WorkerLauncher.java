package dev.spindle.cluster.internal;

import java.io.IOException;

/** Starts one worker process; the supervisor's only way of making processes, so tests can run any main class. */
@FunctionalInterface
public interface WorkerLauncher {

    /** Starts the worker for {@code slot} (from 1) whose metrics endpoint should use {@code metricsPort}. */
    Process start(int slot, int metricsPort) throws IOException;
}
