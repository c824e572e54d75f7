package dev.spindle.sample.users;

import dev.spindle.http.Context;
import dev.spindle.http.HttpException;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Routes;
import dev.spindle.state.Csrf;
import dev.spindle.state.Session;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Who is logged in: {@code POST /login} (in {@link UserRoutes}) starts a session, {@code GET /me}
 * reads it, {@code POST /logout} ends it and {@code POST /logout-everywhere} ends every session of
 * the user, on every device (after a password change, or a lost phone). The session holds the user's id and name, so any
 * replica behind the load balancer can answer {@code /me} once sessions live in Redis. A cookie
 * session is what cross-site request forgery abuses, so both logouts want the session's CSRF
 * token in {@code X-CSRF-Token}: the login answer carries it, and {@code GET /csrf} repeats it.
 */
public final class SessionRoutes {

    static final String USER_ID = "userId";
    static final String USER_NAME = "userName";

    private SessionRoutes() {}

    /** Declares {@code /me}, {@code /csrf}, {@code /logout} and {@code /logout-everywhere} on {@code api}. */
    public static void declare(Routes api) {
        RouteOptions csrf = RouteOptions.builder().use(Csrf.sessionToken().build()).build();
        api.get("/me", SessionRoutes::me);
        api.get("/csrf", ctx -> Csrf.token(ctx).thenApply(token -> Response.json(Map.of("csrfToken", token))));
        api.post("/logout", csrf, SessionRoutes::logout);
        api.post("/logout-everywhere", csrf, SessionRoutes::logoutEverywhere);
    }

    /** Puts the user in the request's session under a fresh id (a planted session id is worthless). */
    static CompletionStage<Response> logIn(Context ctx, User user) {
        return Session.of(ctx).thenCompose(session -> {
            session.regenerate();
            // Indexed under the user's id, so that /logout-everywhere can find every session of theirs.
            session.principal(user.id());
            session.put(USER_ID, user.id()).put(USER_NAME, user.name());
            return Csrf.token(ctx);
        }).thenApply(token -> Response.json(Map.of("id", user.id(), "name", user.name(), "csrfToken", token)));
    }

    private static CompletionStage<Response> me(Context ctx) {
        return Session.of(ctx).thenApply(session -> {
            String id = session.get(USER_ID, String.class)
                    .orElseThrow(() -> new HttpException(401, "Not logged in: POST /api/v1/login first"));
            return Response.json(Map.of("id", id, "name", session.get(USER_NAME, String.class).orElse("")));
        });
    }

    private static CompletionStage<Response> logoutEverywhere(Context ctx) {
        return Session.of(ctx).thenCompose(session -> {
            String id = session.get(USER_ID, String.class)
                    .orElseThrow(() -> new HttpException(401, "Not logged in: POST /api/v1/login first"));
            // This session goes too: it belongs to the same user.
            return Session.invalidateAll(ctx, id);
        }).thenApply(ended -> Response.json(Map.of("sessionsEnded", ended)));
    }

    private static CompletionStage<Response> logout(Context ctx) {
        return Session.of(ctx).thenApply(session -> {
            session.invalidate();
            return Response.empty(204);
        });
    }
}
