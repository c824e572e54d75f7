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
 * <p>A session is used on the request's event loop, like the context; the stages returned here
 * complete there, failures included.
 *
 * <p><b>What is written, and when.</b> Changes are written after the handler's response is ready
 * and before it is sent. A response with a 5xx status writes nothing (a failed handler neither
 * keeps its changes nor rotates the id), except {@link #invalidate()}, which is honoured whatever
 * the status: ending a session is always safe. A 4xx response writes its changes like a 2xx one:
 * it is a deliberate answer (a failed login attempt counted, a form kept for correction). A
 * session that is only read is touched at most once per touch interval, on a best-effort basis:
 * a failed touch never fails the request.
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

    /**
     * One attribute of the request's session, read as {@code type}: the session loaded (once per
     * request) and {@link #get(String, Class)} in one step.
     *
     * <pre>{@code
     * app.get("/me", ctx -> Session.get(ctx, "user", User.class)
     *         .thenApply(user -> user.map(Response::json).orElseGet(() -> Response.empty(401))));
     * }</pre>
     */
    static <T> CompletionStage<Optional<T>> get(Context ctx, String name, Class<T> type) {
        return of(ctx).thenApply(session -> session.get(name, type));
    }

    /**
     * Deletes every session of {@code principal} ("log out everywhere", e.g. after a password
     * change), bounded by the request's deadline; completes with how many there were. The
     * request's own session goes too when it belongs to {@code principal}.
     */
    static CompletionStage<Integer> invalidateAll(Context ctx, String principal) {
        return SessionRequest.of(ctx).invalidateAll(principal);
    }

    /** The id (the cookie carries it); changes on {@link #regenerate()}. */
    String id();

    /** Whether the session was created by this request (nothing stored yet). */
    boolean isNew();

    /** When the session was created. */
    Instant createdAt();

    /**
     * An attribute read as {@code type}; empty when absent, and when its stored JSON no longer
     * reads as {@code type} (a class changed in a rolling deploy).
     */
    <T> Optional<T> get(String name, Class<T> type);

    /** The attribute names (reserved ones, starting with {@code @}, left out). */
    Set<String> names();

    /** Sets an attribute, serialised now as JSON; names starting with {@code @} are reserved. */
    Session put(String name, Object value);

    /** Removes an attribute; names starting with {@code @} are reserved. */
    Session remove(String name);

    /** Whose session this is, as set by {@link #principal(String)}. */
    Optional<String> principal();

    /**
     * Marks the session as {@code name}'s (the user's name or id; usually at login, with
     * {@link #regenerate()}), so {@link #invalidateAll(Context, String)} finds it.
     */
    Session principal(String name);

    /**
     * Moves the session to a new id when the response is ready: the old id stops working in the
     * same step in which its attributes are taken, so no write to it is lost and no window leaves
     * both ids valid. Call it when privileges change (login) so a planted id is worthless.
     */
    void regenerate();

    /** Deletes the session server-side and expires the cookie (logout); the session is unusable after. */
    void invalidate();
}
