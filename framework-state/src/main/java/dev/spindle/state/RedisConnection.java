package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Cancellation;
import dev.spindle.core.Deadline;
import dev.spindle.http.Context;
import dev.spindle.http.HealthCheck;
import dev.spindle.state.internal.CallScope;
import dev.spindle.state.internal.Callers;
import dev.spindle.state.internal.LettuceConnection;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * The Redis connection of an instance, on Lettuce: one multiplexed connection shared by every
 * request (never one per request) plus, when broadcast is used, one dedicated to reading
 * streams. Standalone, TLS, Sentinel and Cluster deployments look the same from here.
 *
 * <p>Calls follow the module's threading and deadline model (see the {@code dev.spindle.state}
 * package): {@link #call(Context, Function)} is bounded by the request's deadline and completes on
 * its event loop; {@link #call(Function)} is bounded by the command timeout and completes on the
 * caller's loop, or on the background executor off the loops. Never on Lettuce's own threads, so
 * nothing a caller chains can stall the Redis traffic of the instance. Outages fail with
 * {@link StateUnavailableException} (a 503 in apps that use {@link State#install}); Redis errors
 * such as {@code WRONGTYPE} fail as they are. The connection reconnects by itself, backing off to
 * about a second with jitter, and also when Redis stops answering (consecutive timeouts).
 *
 * <pre>{@code
 * RedisConnection redis = state.redis().orElseThrow();
 * app.get("/visits", ctx -> redis.call(ctx, commands -> commands.incr(redis.key("visits")))
 *         .thenApply(count -> Response.text("visit " + count)));
 * }</pre>
 */
public final class RedisConnection implements AutoCloseable {

    static {
        LettuceConnection.access(connection -> connection.engine);
    }

    private final LettuceConnection engine;

    private RedisConnection(LettuceConnection engine) {
        this.engine = engine;
    }

    /**
     * Connects to Redis; calls made for no request and off any event loop complete on the common
     * {@link ForkJoinPool}. Waits up to the connect timeout for the first connection; if Redis is
     * not there yet, keeps trying in the background (calls fail with 503 until it answers) rather
     * than failing start-up, so instances and Redis may start in any order.
     */
    public static RedisConnection connect(RedisOptions options, MeterRegistry registry) {
        return connect(options, registry, ForkJoinPool.commonPool());
    }

    /** As {@link #connect(RedisOptions, MeterRegistry)}, completing calls made for no request on {@code background}. */
    public static RedisConnection connect(RedisOptions options, MeterRegistry registry, Executor background) {
        return connect(options, registry, Callers.of(requireNonNull(background, "background")));
    }

    static RedisConnection connect(RedisOptions options, MeterRegistry registry, Callers callers) {
        return new RedisConnection(LettuceConnection.connect(requireNonNull(options, "options"),
                requireNonNull(registry, "registry"), callers));
    }

    /** The options this connection was made with. */
    public RedisOptions options() {
        return engine.options();
    }

    /** Whether the shared connection is up right now. */
    public boolean isConnected() {
        return engine.isConnected();
    }

    /**
     * Runs one command for a request: bounded by the shorter of the command timeout and what is
     * left of the request's deadline; the stage completes on the request's event loop. When the
     * request is cancelled (its deadline passed or its client left) the stage fails at once with a
     * {@link java.util.concurrent.CancellationException}, so nothing chained on it runs after the
     * client's answer; a command not yet written is not sent, and the reply of one already
     * written is dropped.
     */
    public <T> CompletionStage<T> call(Context ctx,
                                       Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        CallScope scope = CallScope.of(ctx);
        return scope.resume(engine.call(scope, requireNonNull(command, "command")));
    }

    /**
     * Runs one command for no request (start-up, jobs, listeners): bounded by the command timeout;
     * completes on the calling event loop, or on the background executor when called off the loops.
     */
    public <T> CompletionStage<T> call(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        Executor caller = engine.callers().current();
        return engine.call(Deadline.none(), caller, requireNonNull(command, "command"));
    }

    /** As {@link #call(Function)}, bounded by {@code deadline} too. */
    public <T> CompletionStage<T> call(Deadline deadline,
                                       Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        Executor caller = engine.callers().current();
        return engine.call(requireNonNull(deadline, "deadline"), caller, requireNonNull(command, "command"));
    }

    /**
     * As {@link #call(Deadline, Function)}, stopped by {@code cancellation} too, as a request's
     * call is by the request's: for work with a cancellation of its own (a job, a batch).
     */
    public <T> CompletionStage<T> call(Deadline deadline, Cancellation cancellation,
                                       Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        CallScope scope = CallScope.of(requireNonNull(deadline, "deadline"), cancellation, engine.callers().current());
        return scope.resume(engine.call(scope, requireNonNull(command, "command")));
    }

    /** {@code name} under this app's key prefix, e.g. {@code spindle:visits}. */
    public String key(String name) {
        return engine.key(name);
    }

    /**
     * The escape hatch: the shared Lettuce connection, while connected, for what {@link #call}
     * cannot express. It is shared by every request: never close it, never switch off auto-flush
     * or select another database on it, and hop off Lettuce's threads before running user code.
     */
    public Optional<StatefulConnection<String, String>> lettuce() {
        return engine.lettuce();
    }

    /** A health check: up while Redis answers {@code PING} within the command timeout. */
    public HealthCheck healthCheck() {
        return engine.healthCheck();
    }

    /** Closes the connections and Lettuce's threads. */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return engine.toString();
    }
}
