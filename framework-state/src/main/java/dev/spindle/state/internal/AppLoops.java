package dev.spindle.state.internal;

import dev.spindle.core.Deadline;
import dev.spindle.core.OverloadException;
import dev.spindle.http.Spindle;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The app's threads as the state module uses them: each broadcast subscription gets one event
 * loop, round-robin, chosen at its first delivery (the loops exist only once the app has started),
 * so its messages stay in order; calls made for no request complete on the calling loop or, off
 * the loops, on the offload pool.
 */
public final class AppLoops implements Supplier<Executor> {

    private final Spindle app;
    private final AtomicInteger next = new AtomicInteger();

    public AppLoops(Spindle app) {
        this.app = app;
    }

    /** The callers of this app: its loops, and its offload pool for everyone else. */
    public Callers callers() {
        return new Callers(this::loops, this::offload);
    }

    private List<EventLoop> loops() {
        try {
            return app.eventLoops().loops();
        } catch (IllegalStateException notStarted) {
            return List.of();
        }
    }

    /** Runs {@code task} on the offload pool; if the pool refuses it (full, shut down), on the common pool. */
    private void offload(Runnable task) {
        app.offloadPool().submit(() -> {
            task.run();
            return null;
        }, Runnable::run, Deadline.none(), false).whenComplete((done, failure) -> {
            if (failure != null && RedisFailures.unwrap(failure) instanceof OverloadException) {
                ForkJoinPool.commonPool().execute(task);
            }
        });
    }

    @Override
    public Executor get() {
        return new Executor() {
            private volatile EventLoop loop;

            @Override
            public void execute(Runnable task) {
                EventLoop chosen = loop;
                if (chosen == null) {
                    synchronized (this) { // once per subscription, so that all its messages use one loop
                        chosen = loop;
                        if (chosen == null) {
                            List<EventLoop> loops = app.eventLoops().loops();
                            chosen = loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
                            loop = chosen;
                        }
                    }
                }
                chosen.execute(task);
            }
        };
    }
}
