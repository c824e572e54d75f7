package dev.spindle.bench.vertx;

import dev.spindle.bench.BenchContract;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.ext.web.sstore.redis.RedisSessionStore;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.util.List;

/**
 * The Vert.x-web target of the state benchmark: the state routes with Vert.x-web's
 * {@link SessionHandler} over its Redis session store and the Vert.x Redis client for the cache,
 * one verticle (and one Redis client) per core, each on its own event loop as Vert.x intends.
 */
public final class VertxStateServer extends VerticleBase {

    private static final String CACHE_KEY = "bench:vertx-cache:" + BenchContract.CACHE_KEY;

    /** Deploys one verticle per core and exits the JVM if that fails. */
    public static void main(String[] args) {
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores).setPreferNativeTransport(true));
        vertx.deployVerticle(VertxStateServer::new, new DeploymentOptions().setInstances(cores))
                .onFailure(failure -> {
                    System.err.println("Vert.x state bench server failed to start: " + failure);
                    System.exit(1);
                });
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> vertx.close().toCompletionStage().toCompletableFuture().join(), "vertx-bench-stop"));
    }

    @Override
    public Future<?> start() {
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(System.getenv("REDIS_URL"))
                .setMaxPoolSize(8).setMaxWaitingHandlers(4096));
        RedisAPI api = RedisAPI.api(redis);
        SessionStore store = RedisSessionStore.create(vertx, redis);
        Router router = Router.router(vertx);
        router.get("/plaintext").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                .end(BenchContract.HELLO));
        router.route("/state/session").handler(SessionHandler.create(store));
        router.post("/state/session").handler(ctx -> {
            ctx.session().put("user", BenchContract.SESSION_USER);
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("logged in");
        });
        router.get("/state/session").handler(ctx -> {
            String user = ctx.session().get("user");
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                    .end("hello " + (user == null ? "guest" : user));
        });
        router.get("/state/cache").handler(ctx -> api.get(CACHE_KEY).compose(found -> {
            if (found != null) {
                return Future.succeededFuture(new JsonObject(found.toString()));
            }
            JsonObject value = new JsonObject().put("message", BenchContract.HELLO);
            return api.set(List.of(CACHE_KEY, value.encode(), "EX", "3600")).map(ok -> value);
        }).onSuccess(value -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(value.toBuffer())).onFailure(ctx::fail));
        return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(router)
                .listen(BenchContract.port(), BenchContract.HOST);
    }
}
