package dev.spindle.state;

import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import java.util.TreeSet;

/** The routes the session tests drive; each one says what it does to the session. */
final class SessionRoutes {

    /** Holds a slow login between reading the session and finishing, so a test can write in between. */
    record Gate(java.util.concurrent.CompletableFuture<Void> loaded, java.util.concurrent.CompletableFuture<Void> proceed) {}

    private static volatile Gate gate;

    private SessionRoutes() {}

    /** A new gate for the next {@code /s/slow-login}. */
    static Gate gate() {
        gate = new Gate(new java.util.concurrent.CompletableFuture<>(), new java.util.concurrent.CompletableFuture<>());
        return gate;
    }

    /** Installs state on {@code app}, sessions through {@code counting}'s store, and the routes. */
    static State install(Spindle app, java.util.function.Consumer<CountingStore> counting) {
        return install(app, counting, StateClock.system());
    }

    /** As {@link #install(Spindle, java.util.function.Consumer)}, session expiry on {@code clock}. */
    static State install(Spindle app, java.util.function.Consumer<CountingStore> counting, StateClock clock) {
        State state = State.install(app);
        CountingStore store = new CountingStore(state.sessionStore());
        counting.accept(store);
        app.get("/plain", ctx -> Response.text("plain").completed());
        app.group("/s", group -> {
            group.use(SessionMiddleware.create(store, SessionOptions.from(app.config()).toBuilder().clock(clock).build(),
                    app.meterRegistry()));
            group.get("/untouched", ctx -> Response.text("untouched").completed());
            group.post("/put/{name}/{value}", ctx -> Session.of(ctx).thenApply(session -> {
                session.put(ctx.pathParam("name"), ctx.pathParam("value"));
                return Response.text(session.id());
            }));
            group.get("/get/{name}", ctx -> Session.of(ctx).thenApply(session -> session.get(ctx.pathParam("name"),
                    String.class).map(Response::text).orElseGet(() -> Response.empty(404))));
            group.get("/names", ctx -> Session.of(ctx).thenApply(session ->
                    Response.text(String.join(",", new TreeSet<>(session.names())))));
            group.post("/login/{user}", ctx -> Session.of(ctx).thenApply(session -> {
                session.regenerate();
                session.put("user", ctx.pathParam("user"));
                return Response.text(session.id());
            }));
            group.post("/logout", ctx -> Session.of(ctx).thenApply(session -> {
                session.invalidate();
                return Response.empty(204);
            }));
            group.post("/fail-after-put/{name}/{value}", ctx -> Session.of(ctx).thenApply(session -> {
                session.put(ctx.pathParam("name"), ctx.pathParam("value"));
                throw new IllegalStateException("the payment provider is down");
            }));
            group.post("/fail-after-login/{user}", ctx -> Session.of(ctx).thenApply(session -> {
                session.regenerate();
                session.put("user", ctx.pathParam("user"));
                throw new IllegalStateException("the audit log is down");
            }));
            group.post("/reject-after-put/{name}/{value}", ctx -> Session.of(ctx).thenApply(session -> {
                session.put(ctx.pathParam("name"), ctx.pathParam("value"));
                return Response.empty(422);
            }));
            group.post("/logout-then-fail", ctx -> Session.of(ctx).thenApply(session -> {
                session.invalidate();
                throw new IllegalStateException("the audit log is down");
            }));
            group.post("/remove/{name}", ctx -> Session.of(ctx).thenApply(session -> {
                try {
                    session.remove(ctx.pathParam("name"));
                    return Response.empty(204);
                } catch (IllegalArgumentException e) {
                    return Response.text(e.getMessage()).status(400);
                }
            }));
            group.get("/get-int/{name}", ctx -> Session.of(ctx).thenApply(session -> session.get(ctx.pathParam("name"),
                    Integer.class).map(value -> Response.text(value.toString())).orElseGet(() -> Response.empty(404))));
            group.post("/slow-login/{user}", ctx -> Session.of(ctx).thenCompose(session -> {
                Gate current = gate;
                current.loaded().complete(null);
                return current.proceed().thenApplyAsync(go -> {
                    session.regenerate();
                    session.put("user", ctx.pathParam("user"));
                    return Response.text(session.id());
                }, ctx.executor());
            }));
            group.post("/login-as/{user}", ctx -> Session.of(ctx).thenApply(session -> {
                session.regenerate();
                session.principal(ctx.pathParam("user")).put("user", ctx.pathParam("user"));
                return Response.text(session.id());
            }));
            group.post("/logout-everywhere/{user}", ctx -> Session.invalidateAll(ctx, ctx.pathParam("user"))
                    .thenApply(count -> Response.text(Integer.toString(count))));
            group.get("/typed/{name}", ctx -> Session.get(ctx, ctx.pathParam("name"), String.class)
                    .thenApply(value -> value.map(Response::text).orElseGet(() -> Response.empty(404))));
            group.post("/put-cacheable/{name}/{value}", ctx -> Session.of(ctx).thenApply(session -> {
                session.put(ctx.pathParam("name"), ctx.pathParam("value"));
                return Response.text("ok").header("Cache-Control", "public, max-age=600");
            }));
        });
        return state;
    }
}
