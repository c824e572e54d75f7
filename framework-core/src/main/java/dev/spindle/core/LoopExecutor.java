package dev.spindle.core;

import java.util.concurrent.Executor;

/**
 * An executor that runs every task on one event loop, possibly wrapped (a request's executor puts its
 * request id and route in place around each task). Code that hands a result to such an executor can
 * pass it on directly when it already runs on that loop instead of queueing one more task.
 */
public interface LoopExecutor extends Executor {

    /** Whether the calling thread is the loop this executor runs its tasks on. */
    boolean inEventLoop();

    /** Whether {@code executor} runs its tasks on one event loop (a Netty executor or a {@code LoopExecutor}). */
    static boolean isLoop(Executor executor) {
        return executor instanceof LoopExecutor || executor instanceof io.netty.util.concurrent.EventExecutor;
    }

    /** Whether the calling thread is the loop {@code executor} runs its tasks on; false for other executors. */
    static boolean inLoopOf(Executor executor) {
        if (executor instanceof LoopExecutor loop) {
            return loop.inEventLoop();
        }
        return executor instanceof io.netty.util.concurrent.EventExecutor loop && loop.inEventLoop();
    }
}
