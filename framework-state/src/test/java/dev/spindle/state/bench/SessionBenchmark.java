package dev.spindle.state.bench;

import dev.spindle.core.Config;
import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import dev.spindle.state.Session;
import dev.spindle.state.State;
import dev.spindle.test.redis.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Not a test: serves {@code GET /plain} and {@code GET /session} (reads a session attribute from
 * Redis) for a load generator, then stops by itself. Prints the port and a session cookie.
 *
 * <pre>
 * java -cp ... dev.spindle.state.bench.SessionBenchmark 120     # serve for 120 s
 * wrk -t2 -c32 -d10s http://127.0.0.1:PORT/plain
 * wrk -t2 -c32 -d10s -H "Cookie: sid=ID" http://127.0.0.1:PORT/s/untouched   # middleware, session not read
 * wrk -t2 -c32 -d10s -H "Cookie: sid=ID" http://127.0.0.1:PORT/s/session
 * </pre>
 */
public final class SessionBenchmark {

    private SessionBenchmark() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 120;
        try (RedisServer redis = RedisServer.inMemory().start()) {
            Spindle app = Spindle.create(Config.builder().set("redis.url", redis.url()).set("server.port", "0")
                    .set("server.host", "127.0.0.1").set("shutdown.on-signal", "false").build());
            State state = State.install(app);
            app.get("/plain", ctx -> Response.text("hello").completed());
            app.group("/s", group -> {
                group.use(state.sessions());
                group.get("/untouched", ctx -> Response.text("hello").completed());
                group.get("/session", ctx -> Session.of(ctx).thenApply(session ->
                        Response.text(session.get("user", String.class).orElse("anonymous"))));
                group.post("/login", ctx -> Session.of(ctx).thenApply(session -> {
                    session.put("user", "ada");
                    return Response.text("hello");
                }));
            });
            app.start();
            HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/s/login")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            System.out.println("PORT=" + app.port());
            System.out.println("SID=" + cookie.substring(4, cookie.indexOf(';')));
            System.out.println("REDIS_PORT=" + redis.port());
            System.out.flush();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
            app.stop(Duration.ofSeconds(2));
        }
    }
}
