package dev.spindle.state.jobs.internal;

import dev.spindle.state.internal.LettuceConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups of idle workers: the scripts that make jobs ready {@code PUBLISH} to the queue's
 * {@code wake} channel, and one subscriber connection per instance passes them on. A lost wake-up
 * only delays a job until the worker's poll interval, so this never has to be perfect.
 */
final class RedisWakeups {

    private static final Logger log = LoggerFactory.getLogger(RedisWakeups.class);

    private final LettuceConnection redis;
    private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private volatile boolean connecting;
    private volatile boolean closed;

    RedisWakeups(LettuceConnection redis) {
        this.redis = redis;
    }

    AutoCloseable listen(String channel, Runnable wake) {
        listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(wake);
        StatefulRedisPubSubConnection<String, String> open = connection;
        if (open != null) {
            // Whatever was published before the subscription took effect is missed: look once after it.
            open.async().subscribe(channel).thenRun(() -> runQuietly(wake));
        } else {
            connect();
        }
        return () -> {
            List<Runnable> list = listeners.get(channel);
            if (list != null) {
                list.remove(wake);
            }
        };
    }

    private synchronized void connect() {
        if (connecting || connection != null || closed) {
            return;
        }
        connecting = true;
        redis.connectPubSub().whenComplete((opened, failure) -> {
            synchronized (this) {
                connecting = false;
                if (failure != null) {
                    if (!closed) {
                        log.debug("Job wake-up subscriber could not connect ({}); retrying in a second",
                                failure.toString());
                        redis.schedule(this::connect, Duration.ofSeconds(1));
                    }
                    return;
                }
                if (closed) {
                    opened.closeAsync();
                    return;
                }
                opened.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        List<Runnable> list = listeners.get(channel);
                        if (list != null) {
                            list.forEach(RedisWakeups::runQuietly);
                        }
                    }
                });
                connection = opened;
                if (!listeners.isEmpty()) {
                    opened.async().subscribe(listeners.keySet().toArray(String[]::new))
                            .thenRun(() -> listeners.values().forEach(list -> list.forEach(RedisWakeups::runQuietly)));
                }
            }
        });
    }

    private static void runQuietly(Runnable wake) {
        try {
            wake.run();
        } catch (RuntimeException e) {
            log.warn("A job wake-up listener failed", e);
        }
    }

    synchronized void close() {
        closed = true;
        StatefulRedisPubSubConnection<String, String> open = connection;
        connection = null;
        if (open != null) {
            open.closeAsync();
        }
    }
}
