package dev.spindle.http.internal;

import io.netty.util.concurrent.EventExecutor;

/** Runs work on a connection's event loop: at once when already there, as a task otherwise. */
final class OnLoop {

    private OnLoop() {}

    static void run(EventExecutor loop, Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }
}
