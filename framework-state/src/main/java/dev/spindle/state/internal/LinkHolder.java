package dev.spindle.state.internal;

import dev.spindle.core.Cancellation;
import dev.spindle.state.RedisOptions;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.netty.util.Timeout;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce connection, opened once and then kept up by Lettuce's own reconnect. When the very
 * first connect fails (Redis not started yet), retries in the background with capped backoff;
 * calls meanwhile fail at once as outages. A connection on which {@value #TIMEOUTS_BEFORE_RECONNECT}
 * commands in a row time out while no reply at all arrived for a command timeout (a Redis that
 * hangs, or a peer gone without a reset that TCP has not noticed yet) is replaced by a new one;
 * calls fail at once until it is up.
 */
final class LinkHolder {

    static final int TIMEOUTS_BEFORE_RECONNECT = 3;

    private static final Logger log = LoggerFactory.getLogger(dev.spindle.state.RedisConnection.class);

    /**
     * Where background connects run: never an event loop or a Lettuce executor, since connecting
     * may resolve a host name or wait on the client's own locks while another connection opens.
     */
    private static final ScheduledThreadPoolExecutor CONNECTOR = connector();

    private final String name;
    private final LettuceClient client;
    private final ClientResources resources;
    private final RedisOptions options;
    private volatile LettuceClient.Link link;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile CompletableFuture<LettuceClient.Link> first;
    private final AtomicInteger timeouts = new AtomicInteger();
    private final AtomicBoolean replacing = new AtomicBoolean();
    private volatile long lastReplyNanos = System.nanoTime();
    private int attempts;

    LinkHolder(String name, LettuceClient client, ClientResources resources, RedisOptions options) {
        this.name = name;
        this.client = client;
        this.resources = resources;
        this.options = options;
    }

    private static ScheduledThreadPoolExecutor connector() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "spindle-redis-connect");
            thread.setDaemon(true);
            return thread;
        });
        executor.setKeepAliveTime(10, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    boolean started() {
        return started;
    }

    /** Starts connecting; waits up to {@code wait} for the first attempt (zero: do not wait). */
    synchronized void start(Duration wait) {
        if (started) {
            return;
        }
        started = true;
        first = attempt();
        if (!wait.isZero()) {
            try {
                first.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // Logged by attempt(); the background retries carry on.
            }
        }
    }

    /**
     * Starts connecting on the connector thread and returns at once: safe on an event loop, where
     * even resolving Redis's host name must not happen.
     */
    synchronized void startInBackground() {
        if (started) {
            return;
        }
        started = true;
        CompletableFuture<LettuceClient.Link> connecting = new CompletableFuture<>();
        first = connecting;
        CONNECTOR.execute(() -> attempt().whenComplete((connected, failure) -> {
            if (failure != null) {
                connecting.completeExceptionally(failure);
            } else {
                connecting.complete(connected);
            }
        }));
    }

    private CompletableFuture<LettuceClient.Link> attempt() {
        // The returned stage completes after the link is recorded, so its dependents see it.
        return client.connect().whenComplete((connected, failure) -> {
            if (failure == null) {
                if (closed) {
                    connected.connection().closeAsync();
                    return;
                }
                LettuceClient.Link previous = link;
                link = connected;
                timeouts.set(0);
                replacing.set(false);
                if (previous != null && previous != connected) {
                    previous.connection().closeAsync();
                }
                if (attempts > 0) {
                    log.info("Connected to Redis at {} ({} connection) after {} attempt(s)", options.redactedUrl(), name,
                            attempts + 1);
                }
                attempts = 0;
                return;
            }
            if (closed) {
                return;
            }
            if (attempts++ == 0) {
                log.warn("Redis at {} is not reachable yet ({} connection: {}); retrying in the background, and "
                        + "requests that need Redis get 503 until it answers", options.redactedUrl(), name,
                        RedisFailures.unwrap(failure).getMessage());
            }
            long delay = Math.min(options.reconnectMaxDelay().toMillis(), 100L << Math.min(attempts, 10));
            CONNECTOR.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
        });
    }

    /** Replaces the connection after consecutive timeouts; one replacement at a time. */
    private void replace() {
        if (closed || !replacing.compareAndSet(false, true)) {
            return;
        }
        log.warn("Redis at {} did not answer {} commands in a row ({} connection); opening a new connection, and "
                + "requests that need Redis get 503 until it answers", options.redactedUrl(), TIMEOUTS_BEFORE_RECONNECT,
                name);
        CONNECTOR.execute(this::attempt);
    }

    /**
     * Counts timeouts that came while Redis answered nothing at all for a whole command timeout:
     * a burst that queues commands past their timeout still gets replies, a hung Redis gets none.
     */
    private void count(Throwable failure) {
        Throwable cause = failure == null ? null : RedisFailures.unwrap(failure);
        if (!(cause instanceof RedisCommandTimeoutException)) {
            lastReplyNanos = System.nanoTime();
            timeouts.set(0);
        } else if (System.nanoTime() - lastReplyNanos >= options.commandTimeout().toNanos()
                && timeouts.incrementAndGet() >= TIMEOUTS_BEFORE_RECONNECT) {
            replace();
        }
    }

    Optional<StatefulConnection<String, String>> connection() {
        LettuceClient.Link current = link;
        return current != null && current.connection().isOpen() ? Optional.of(current.connection()) : Optional.empty();
    }

    boolean isOpen() {
        LettuceClient.Link current = link;
        return current != null && current.connection().isOpen();
    }

    /**
     * Sends {@code command} bounded by the scope's deadline (capped to the command timeout). When
     * the scope is cancelled the call fails at once with a {@code CancellationException}: a command
     * still queued is not written, one already written cannot be unsent and its reply is dropped.
     */
    <T> CompletionStage<T> call(CallScope scope,
                                Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        if (scope.isCancelled()) {
            return CompletableFuture.failedFuture(CallScope.cancelled());
        }
        LettuceClient.Link current = link;
        if (current == null) {
            CompletableFuture<LettuceClient.Link> connecting = first;
            if (connecting != null && !connecting.isDone()) {
                // The very first connect is under way (a lazily opened connection): wait for it, not longer.
                return scope.guard(connecting.handle((connected, failure) -> link != null ? call(scope, command)
                        : LettuceConnection.<T>unavailable("Not connected to Redis at " + options.redactedUrl() + " yet"))
                        .thenCompose(stage -> stage));
            }
            return LettuceConnection.unavailable("Not connected to Redis at " + options.redactedUrl() + " yet");
        }
        if (replacing.get()) {
            return LettuceConnection.unavailable("Redis at " + options.redactedUrl()
                    + " stopped answering; reconnecting");
        }
        Duration timeout = scope.deadline().cap(options.commandTimeout());
        long timeoutMillis = Math.max(1, timeout.toMillis());
        if (timeout.isZero()) {
            return LettuceConnection.unavailable("No time left before the deadline for a Redis call");
        }
        RedisFuture<T> future;
        try {
            future = command.apply(current.commands());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(RedisFailures.map(e, timeoutMillis));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            if (failure instanceof CancellationException && result.isDone()) {
                return; // cancelled here (deadline timer or scope) after settling the result: not a reply
            }
            count(failure);
            if (failure != null) {
                result.completeExceptionally(RedisFailures.map(failure, timeoutMillis));
            } else {
                result.complete(value);
            }
        });
        if (scope.cancellable() && !result.isDone()) {
            Cancellation.Registration registration = scope.onCancel(() -> {
                if (result.completeExceptionally(CallScope.cancelled())) {
                    future.cancel(false);
                }
            });
            result.whenComplete((value, failure) -> registration.close());
        }
        if (timeout.compareTo(options.commandTimeout()) < 0 && !result.isDone()) {
            // Lettuce enforces the command timeout; a shorter deadline needs a timer of its own.
            Timeout timer = resources.timer().newTimeout(t -> {
                if (result.completeExceptionally(RedisFailures.map(new TimeoutException(), timeoutMillis))) {
                    future.cancel(false);
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            result.whenComplete((value, failure) -> timer.cancel());
        }
        return result;
    }

    void close() {
        closed = true;
        LettuceClient.Link current = link;
        if (current != null) {
            current.connection().close();
        }
    }
}
