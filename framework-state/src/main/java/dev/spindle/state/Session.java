package dev.spindle.state;

import dev.spindle.http.Context;
import dev.spindle.state.internal.SessionRequest;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The session of the current request, loaded on first use: a request that never asks for its
 * session costs no store round trip. Values are stored as JSON (Jackson), written back when the
 * handler's response is ready, and only the attributes this request changed are written, so
 * parallel requests that change different attributes never lose each other's writes.
 *
 * <p>A session is used on the request's event loop, like the context; the stage returned by
 * {@link #of(Context)} completes there.
 *
 * <pre>{@code
 * app.use(state.sessions());
 * app.post("/login", ctx -> ctx.bodyAs(Login.class).thenCompose(login -> Session.of(ctx).thenApply(session -> {
 *     session.regenerate();                       // fixation defence: a new id at login
 *     session.put("user", login.user());
 *     return Response.empty(204);
 * })));
 * app.get("/me", ctx -> Session.of(ctx).thenApply(session ->
 *         session.get("user", String.class).map(Response::text).orElseGet(() -> Response.empty(401))));
 * }</pre>
 */
public interface Session {

    /**
     * The session of {@code ctx}: the one its cookie names, or a new empty one when there is no
     * cookie or it is unknown, expired or tampered with. Needs the session middleware in front of
     * the handler. Fails with {@link StateUnavailableException} (a 503) while the store is down.
     */
    static CompletionStage<Session> of(Context ctx) {
        return SessionRequest.of(ctx).load();
    }

    /** The id (the cookie carries it); changes on {@link #regenerate()}. */
    String id();

    /** Whether the session was created by this request (nothing stored yet). */
    boolean isNew();

    /** When the session was created. */
    Instant createdAt();

    /** An attribute read as {@code type}; empty when absent. A value that does not fit {@code type} fails. */
    <T> Optional<T> get(String name, Class<T> type);

    /** The attribute names. */
    Set<String> names();

    /** Sets an attribute, serialised now as JSON; names starting with {@code @} are reserved. */
    Session put(String name, Object value);

    /** Removes an attribute. */
    Session remove(String name);

    /**
     * Moves the session to a new id and deletes the old one when the response is ready: call it
     * when privileges change (login) so a planted id is worthless.
     */
    void regenerate();

    /** Deletes the session server-side and expires the cookie (logout); the session is unusable after. */
    void invalidate();
}
