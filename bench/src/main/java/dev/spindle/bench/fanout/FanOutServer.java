package dev.spindle.bench.fanout;

import dev.spindle.bench.BenchContract;
import dev.spindle.core.Config;
import dev.spindle.http.HttpSettings;
import dev.spindle.http.Spindle;
import dev.spindle.http.WebSocketOptions;
import dev.spindle.state.Broadcaster;
import dev.spindle.state.State;
import dev.spindle.state.Subscription;

/**
 * The Spindle fan-out target: {@code /fanout} relays every text message to every socket through
 * the app's broadcaster (in memory here; Redis with {@code REDIS_URL}), each socket subscribed on
 * its own event loop, so one publish becomes one batch per loop, not one task per socket.
 * Production defaults otherwise: bounded outbound queues (1 MiB, close 1013), pings, metrics.
 */
public final class FanOutServer {

    private FanOutServer() {}

    public static void main(String[] args) {
        Config config = Config.builder()
                .set(HttpSettings.HOST, BenchContract.HOST)
                .classpathFile().externalFile().environment(System.getenv()).systemProperties()
                .build();
        Spindle app = Spindle.create(config);
        Broadcaster broadcaster = State.install(app).broadcaster();
        app.websocket("/fanout", WebSocketOptions.defaults(), ws -> {
            Subscription feed = broadcaster.subscribe("fanout", ws.executor(), ws::send);
            ws.onText(message -> broadcaster.publish("fanout", message));
            ws.onClose(status -> feed.close());
        });
        app.start();
    }
}
