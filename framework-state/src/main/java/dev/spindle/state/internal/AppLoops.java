package dev.spindle.state.internal;

import dev.spindle.http.Spindle;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Gives each broadcast subscription one of the app's event loops, round-robin, chosen at its
 * first delivery (the loops exist only once the app has started), so its messages stay in order.
 */
public final class AppLoops implements Supplier<Executor> {

    private final Spindle app;
    private final AtomicInteger next = new AtomicInteger();

    public AppLoops(Spindle app) {
        this.app = app;
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
