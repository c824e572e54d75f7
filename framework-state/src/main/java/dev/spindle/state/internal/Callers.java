package dev.spindle.state.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Where to hand results and messages back to: the calling event loop when there is one. */
final class Callers {

    private Callers() {}

    /** The event loop running this code, or {@code otherwise}'s executor off the loops. */
    static Executor loopOr(Supplier<Executor> otherwise) {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        return loop != null ? loop : otherwise.get();
    }

    /** {@code executor}, running a task in place when it refuses it (a loop not started yet, or stopped). */
    static Executor orInPlace(Executor executor) {
        return task -> {
            try {
                executor.execute(task);
            } catch (RuntimeException refused) {
                task.run();
            }
        };
    }
}
