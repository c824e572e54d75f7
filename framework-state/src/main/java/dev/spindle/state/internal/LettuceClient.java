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
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Builds the Lettuce client for a URL with the web-server defaults: fail fast while disconnected,
 * a bounded request queue, the command timeout, a short connect timeout and keep-alive.
 * {@code redis-cluster://} and {@code rediss-cluster://} URLs, which Lettuce has no scheme for,
 * list the seed nodes separated by commas.
 */
final class LettuceClient {

    /** A connection and the commands on it; both kinds of connection share the cluster command API. */
    record Link(StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> commands) {}

    private final AbstractRedisClient client;
    private final RedisURI standalone;
    private final boolean cluster;

    LettuceClient(RedisOptions options, ClientResources resources) {
        String url = options.url().trim();
        String lower = url.toLowerCase(Locale.ROOT);
        SocketOptions socket = SocketOptions.builder().connectTimeout(options.connectTimeout()).keepAlive(true).build();
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
                            .enablePeriodicRefresh(java.time.Duration.ofSeconds(30)).build())
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

    void shutdown() {
        client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2));
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
