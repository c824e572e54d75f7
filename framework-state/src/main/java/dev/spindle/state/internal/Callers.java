package dev.spindle.state.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Where a call made for no request completes: on the event loop of the app that made it, when
 * it was made on one, otherwise on the background executor (the app's offload pool). Decided on
 * the calling thread, at the call.
 */
public final class Callers {

    private final Supplier<List<EventLoop>> loops;
    private final Executor background;

    public Callers(Supplier<List<EventLoop>> loops, Executor background) {
        this.loops = loops;
        this.background = background;
    }

    /** Callers with no event loops of their own: everything completes on {@code background}. */
    public static Callers of(Executor background) {
        return new Callers(List::of, background);
    }

    /** The executor the current caller's stages complete on. */
    public Executor current() {
        for (EventLoop loop : loops.get()) {
            if (loop.inEventLoop()) {
                return loop;
            }
        }
        return background;
    }

    /** The executor for calls made for no request off any loop. */
    public Executor background() {
        return background;
    }

    /** The event loop running this code (any app's), or {@code otherwise}'s executor off the loops. */
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
