package dev.spindle.state.internal;

import dev.spindle.core.Deadline;
import dev.spindle.http.HealthCheck;
import dev.spindle.state.RedisConnection;
import dev.spindle.state.RedisOptions;
import dev.spindle.state.StateUnavailableException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link RedisConnection}, on Lettuce, plus what the state implementations need
 * beyond the API. The raw {@link #call(CallScope, Function)} completes on a Lettuce thread: internal
 * callers hop with {@link Loops#resume} (or use the executor overloads) before any user code runs.
 */
public final class LettuceConnection {

    private static volatile Function<RedisConnection, LettuceConnection> access;

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

    private final RedisOptions options;
    private final ClientResources resources;
    private final LettuceClient client;
    private final LinkHolder shared;
    private final LinkHolder dedicated;

    private final Callers callers;

    private LettuceConnection(RedisOptions options, MeterRegistry registry, Callers callers) {
        this.options = options;
        this.callers = callers;
        Duration max = options.reconnectMaxDelay();
        Duration min = max.compareTo(Duration.ofMillis(50)) < 0 ? max : Duration.ofMillis(50);
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.fullJitter(min, max, 100, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.create()))
                .build();
        try {
            this.client = new LettuceClient(options, resources);
        } catch (RuntimeException e) {
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        this.shared = new LinkHolder("shared", client, resources, options);
        this.dedicated = new LinkHolder("stream reader", client, resources, options);
        Gauge.builder("spindle.redis.connected", this, c -> c.isConnected() ? 1 : 0)
                .description("1 while the shared Redis connection is up").register(registry);
    }

    /** Connects, waiting for the first connection up to the connect timeout plus the command timeout. */
    public static LettuceConnection connect(RedisOptions options, MeterRegistry registry, Callers callers) {
        LettuceConnection connection = new LettuceConnection(options, registry, callers);
        connection.shared.start(options.connectTimeout().plus(options.commandTimeout()));
        return connection;
    }

    /** Lets {@link RedisConnection} hand its engine to this package (and only that class calls it). */
    public static void access(Function<RedisConnection, LettuceConnection> unwrap) {
        if (access == null) {
            access = unwrap;
        }
    }

    /** The engine of {@code redis}, for the state implementations. */
    public static LettuceConnection of(RedisConnection redis) {
        return access.apply(java.util.Objects.requireNonNull(redis, "redis"));
    }

    /** Where calls made for no request complete. */
    public Callers callers() {
        return callers;
    }

    public RedisOptions options() {
        return options;
    }

    public boolean isConnected() {
        return shared.isOpen();
    }

    /**
     * One command on the shared connection, bounded and cancelled by {@code scope}; the stage
     * completes on a Lettuce thread (or on the thread that cancels).
     */
    public <T> CompletionStage<T> call(CallScope scope,
                                       Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        return shared.call(scope, command);
    }

    /** One command for no request; the stage completes on a Lettuce thread. */
    public <T> CompletionStage<T> call(Deadline deadline,
                                       Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        return shared.call(CallScope.of(deadline), command);
    }

    /** One command for no request, completing on {@code executor}, successes and failures alike. */
    public <T> CompletableFuture<T> call(Deadline deadline, Executor executor,
                                         Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        return Loops.resume(call(deadline, command), executor);
    }

    /** {@code name} under the key prefix. */
    public String key(String name) {
        return options.keyPrefix() + name;
    }

    /** The shared Lettuce connection while it is open. */
    public Optional<StatefulConnection<String, String>> lettuce() {
        return shared.connection();
    }

    /** As {@link #call}, on the connection reserved for blocking stream reads. */
    public <T> CompletionStage<T> callDedicated(Deadline deadline,
                                                Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        if (!dedicated.started()) {
            dedicated.startInBackground();
        }
        return dedicated.call(CallScope.of(deadline), command);
    }

    /** As {@link #script(CallScope, Script, ScriptOutputType, String[], String...)}, completing on {@code executor}. */
    public <T> CompletableFuture<T> script(Deadline deadline, Executor executor, Script script, ScriptOutputType type,
                                           String[] keys, String... args) {
        return Loops.resume(this.<T>script(CallScope.of(deadline), script, type, keys, args), executor);
    }

    /** As {@link #script(CallScope, Script, ScriptOutputType, String[], String...)}, for no request. */
    public <T> CompletionStage<T> script(Deadline deadline, Script script, ScriptOutputType type, String[] keys,
                                         String... args) {
        return script(CallScope.of(deadline), script, type, keys, args);
    }

    /**
     * Runs {@code script} with {@code EVALSHA}, loading it with {@code EVAL} when Redis does not know
     * it (not after the scope was cancelled); the stage completes on a Lettuce thread.
     */
    public <T> CompletionStage<T> script(CallScope scope, Script script, ScriptOutputType type, String[] keys,
                                         String... args) {
        return this.<T>call(scope, c -> c.evalsha(script.sha(), type, keys, args))
                .exceptionallyCompose(failure -> RedisFailures.unwrap(failure) instanceof RedisNoScriptException
                        ? call(scope, c -> c.eval(script.source(), type, keys, args))
                        : CompletableFuture.failedStage(failure));
    }

    /** Opens a publish/subscribe connection (the caller closes it); Lettuce resubscribes it after reconnects. */
    public CompletableFuture<io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String>> connectPubSub() {
        return client.connectPubSub();
    }

    /** Runs {@code task} after {@code delay} on a Lettuce scheduler thread (never blocks the caller). */
    public void schedule(Runnable task, Duration delay) {
        resources.eventExecutorGroup().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    public HealthCheck healthCheck() {
        return () -> {
            if (!isConnected()) {
                return CompletableFuture.completedFuture(HealthCheck.Result.down(
                        "not connected to " + options.redactedUrl() + "; reconnecting"));
            }
            return call(Deadline.none(), callers.current(), RedisClusterAsyncCommands::ping)
                    .thenApply(pong -> HealthCheck.Result.up())
                    .exceptionally(failure -> HealthCheck.Result.down(RedisFailures.unwrap(failure).getMessage()));
        };
    }

    /** The Lettuce client's options (TCP liveness, topology refresh), for tests. */
    public io.lettuce.core.ClientOptions clientOptions() {
        return client.options();
    }

    public void close() {
        shared.close();
        dedicated.close();
        client.shutdown();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "Redis at " + options.redactedUrl() + (client.isCluster() ? " (cluster)" : "");
    }

    /** Fails a call at once, as an outage. */
    static <T> CompletionStage<T> unavailable(String message) {
        return CompletableFuture.failedFuture(new StateUnavailableException(message, null));
    }
}
