package dev.spindle.state.internal;

import dev.spindle.state.RedisOptions;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Builds the Lettuce client for a URL with the web-server defaults: fail fast while disconnected,
 * a bounded request queue, the command timeout, a short connect timeout and keep-alive.
 * {@code redis-cluster://} and {@code rediss-cluster://} URLs, which Lettuce has no scheme for,
 * list the seed nodes separated by commas.
 *
 * <p>{@code REJECT_COMMANDS} also fails the commands in flight when a connection drops, where
 * Lettuce's at-least-once default would send them again after the reconnect: a command whose reply
 * is lost ran once or not at all, and its caller is told it failed. The job scripts count on that
 * (JobLostReplyTest pins it) and make their own requests safe to send again.
 */
final class LettuceClient {

    /** How long written data may stay unacknowledged before the connection is dropped. */
    static final Duration USER_TIMEOUT = Duration.ofSeconds(5);

    /** A connection and the commands on it; both kinds of connection share the cluster command API. */
    record Link(StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> commands) {}

    private final AbstractRedisClient client;
    private final RedisURI standalone;
    private final boolean cluster;

    @SuppressWarnings("deprecation") // Lettuce 7 deprecates the adaptive triggers without a replacement yet
    LettuceClient(RedisOptions options, ClientResources resources) {
        String url = options.url().trim();
        String lower = url.toLowerCase(Locale.ROOT);
        SocketOptions socket = socketOptions(options);
        TimeoutOptions timeouts = TimeoutOptions.enabled(options.commandTimeout());
        if (lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://")) {
            cluster = true;
            standalone = null;
            RedisClusterClient clusterClient = RedisClusterClient.create(resources, clusterSeeds(url, options));
            clusterClient.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(options.requestQueue())
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            // Redirects, reconnects and unknown nodes refresh the topology now, not in 30 s.
                            .enableAdaptiveRefreshTrigger(RefreshTrigger.MOVED_REDIRECT, RefreshTrigger.ASK_REDIRECT,
                                    RefreshTrigger.PERSISTENT_RECONNECTS, RefreshTrigger.UNCOVERED_SLOT,
                                    RefreshTrigger.UNKNOWN_NODE)
                            .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(5))
                            .build())
                    .build());
            client = clusterClient;
        } else {
            cluster = false;
            standalone = RedisURI.create(url);
            standalone.setTimeout(options.commandTimeout());
            RedisClient redisClient = RedisClient.create(resources);
            redisClient.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(options.requestQueue())
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .build());
            client = redisClient;
        }
    }

    /**
     * Explicit TCP liveness, so a Redis that vanished without a reset (a crashed host, a network
     * partition) is noticed in seconds rather than after minutes of retransmissions: keep-alive
     * probes after 5 s idle, every second, 3 of them; unacknowledged writes abort the connection
     * after {@link #USER_TIMEOUT} (TCP_USER_TIMEOUT; applied with the epoll or io_uring transport).
     */
    static SocketOptions socketOptions(RedisOptions options) {
        return SocketOptions.builder()
                .connectTimeout(options.connectTimeout())
                .tcpNoDelay(true)
                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable()
                        .idle(Duration.ofSeconds(5)).interval(Duration.ofSeconds(1)).count(3).build())
                .tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder().enable()
                        .tcpUserTimeout(USER_TIMEOUT).build())
                .build();
    }

    /** The client's options, for tests. */
    ClientOptions options() {
        return client.getOptions();
    }

    boolean isCluster() {
        return cluster;
    }

    /** Opens a new connection, without blocking. */
    CompletableFuture<Link> connect() {
        if (cluster) {
            return ((RedisClusterClient) client).connectAsync(StringCodec.UTF8)
                    .thenApply(connection -> new Link(connection, connection.async()));
        }
        return ((RedisClient) client).connectAsync(StringCodec.UTF8, standalone).toCompletableFuture()
                .thenApply(connection -> new Link(connection, connection.async()));
    }

    /** Opens a new publish/subscribe connection, without blocking; Lettuce resubscribes it after reconnects. */
    CompletableFuture<io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String>> connectPubSub() {
        if (cluster) {
            return ((RedisClusterClient) client).connectPubSubAsync(StringCodec.UTF8)
                    .thenApply(connection -> (io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String>)
                            connection);
        }
        return ((RedisClient) client).connectPubSubAsync(StringCodec.UTF8, standalone).toCompletableFuture();
    }

    void shutdown() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private static List<RedisURI> clusterSeeds(String url, RedisOptions options) {
        int schemeEnd = url.indexOf("://");
        boolean tls = url.regionMatches(true, 0, "rediss", 0, 6);
        String rest = url.substring(schemeEnd + 3);
        String userInfo = "";
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            userInfo = rest.substring(0, at + 1);
            rest = rest.substring(at + 1);
        }
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            rest = rest.substring(0, slash);
        }
        List<RedisURI> seeds = new ArrayList<>();
        for (String host : rest.split(",")) {
            if (!host.isBlank()) {
                RedisURI seed = RedisURI.create((tls ? "rediss://" : "redis://") + userInfo + host.trim());
                seed.setTimeout(options.commandTimeout());
                seeds.add(seed);
            }
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("redis.url: " + options.redactedUrl()
                    + " (expected: redis-cluster://host:port[,host:port...])");
        }
        return seeds;
    }
}
