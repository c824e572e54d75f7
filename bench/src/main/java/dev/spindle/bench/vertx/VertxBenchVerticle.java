package dev.spindle.bench.vertx;

import dev.spindle.bench.BenchContract;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** One HTTP server on one event loop, with the bench contract on a vertx-web router. */
final class VertxBenchVerticle extends VerticleBase {

    private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain; charset=utf-8");
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final Buffer HELLO = Buffer.buffer(BenchContract.HELLO);
    private static final Buffer PONG = Buffer.buffer("pong");

    private final WorkerExecutor cpu;

    VertxBenchVerticle(WorkerExecutor cpu) {
        this.cpu = cpu;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/plaintext").handler(ctx -> text(ctx).end(HELLO));
        router.get("/json").handler(ctx -> response(ctx, APPLICATION_JSON)
                .end(new JsonObject().put("message", BenchContract.HELLO).toBuffer()));
        router.get("/ping").handler(ctx -> text(ctx).end(PONG));
        router.get("/cpu").handler(ctx -> cpu.executeBlocking(BenchContract::pbkdf2Hex, false)
                .onSuccess(hex -> text(ctx).end(hex))
                .onFailure(ctx::fail));
        router.get("/cpu-inline").handler(ctx -> text(ctx).end(BenchContract.pbkdf2Hex()));
        for (String route : BenchContract.fillerRoutes()) {
            router.get(route).handler(ctx -> text(ctx).end(route));
        }
        router.get("/users/:id").handler(ctx -> text(ctx).end("user " + ctx.pathParam("id")));
        return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(router)
                .listen(BenchContract.port(), BenchContract.HOST);
    }

    private static HttpServerResponse text(RoutingContext ctx) {
        return response(ctx, TEXT_PLAIN);
    }

    private static HttpServerResponse response(RoutingContext ctx, CharSequence contentType) {
        return ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader(HttpHeaders.DATE, DateHeader.value());
    }
}
