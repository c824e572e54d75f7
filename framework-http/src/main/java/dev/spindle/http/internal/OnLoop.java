package dev.spindle.http.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;

/** Runs work on a connection's event loop: at once when already there, as a task otherwise. */
public final class OnLoop {

    private OnLoop() {}

    static void run(EventExecutor loop, Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /**
     * As {@link #run}, for work a connection may lose when its loop is shutting down (a message
     * sent to a socket as the server stops): false, and nothing run, when the loop refuses it.
     */
    public static boolean runUnlessShutDown(EventExecutor loop, Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return true;
        }
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
