package dev.spindle.state;

import dev.spindle.core.Deadline;
import dev.spindle.http.HealthCheck;
import dev.spindle.state.internal.LettuceConnection;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The Redis connection of an instance, on Lettuce: one multiplexed connection shared by every
 * request (never one per request) plus, when broadcast is used, one dedicated to reading
 * streams. Standalone, TLS, Sentinel and Cluster deployments look the same from here.
 *
 * <p>Every call is bounded by the command timeout (1 s by default) and by the caller's deadline,
 * fails at once while Redis is away, and fails with {@link StateUnavailableException} for any
 * outage, which {@link State#install} answers with a 503. The connection reconnects by itself,
 * backing off to about a second with jitter; Lettuce's command latencies go to the registry
 * ({@code lettuce.command.completion}).
 *
 * <pre>{@code
 * RedisConnection redis = RedisConnection.connect(RedisOptions.of("redis://localhost:6379"), registry);
 * redis.call(ctx.deadline(), commands -> commands.incr(redis.key("visits")))
 *      .thenApply(count -> Response.text("visit " + count));
 * }</pre>
 */
public interface RedisConnection extends AutoCloseable {

    /**
     * Connects to Redis. Waits up to the connect timeout for the first connection; if Redis is not
     * there yet, keeps trying in the background (calls fail with 503 until it answers) rather than
     * failing start-up, so instances and Redis may start in any order.
     */
    static RedisConnection connect(RedisOptions options, MeterRegistry registry) {
        return LettuceConnection.connect(options, registry);
    }

    /** The options this connection was made with. */
    RedisOptions options();

    /** Whether the shared connection is up right now. */
    boolean isConnected();

    /**
     * Runs one command on the shared connection, bounded by the shorter of the command timeout and
     * what is left of {@code deadline}. The stage completes on a Lettuce thread: hop to
     * {@code ctx.executor()} before touching request state. Outages fail it with
     * {@link StateUnavailableException}; Redis errors such as {@code WRONGTYPE} fail it as they are.
     */
    <T> CompletionStage<T> call(Deadline deadline,
                                Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command);

    /** {@code name} under this app's key prefix, e.g. {@code spindle:visits}. */
    default String key(String name) {
        return options().keyPrefix() + name;
    }

    /** A readiness check: up while Redis answers {@code PING} within the command timeout. */
    HealthCheck healthCheck();

    /** Closes the connections and Lettuce's threads. */
    @Override
    void close();
}
