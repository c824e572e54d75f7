package dev.spindle.state.internal;

import dev.spindle.http.AttributeKey;
import dev.spindle.http.Context;
import dev.spindle.http.Response;
import dev.spindle.state.Session;
import dev.spindle.state.SessionData;
import dev.spindle.state.SessionOptions;
import dev.spindle.state.SessionStore;
import dev.spindle.state.SessionUpdate;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session work of one request: loads on first {@link Session#of} (never before), and after
 * the handler writes back only what changed, touches a session that was only read once per
 * touch interval, moves it on regenerate and deletes it on invalidate. Runs on the request's loop.
 */
public final class SessionRequest {

    /** Where the middleware leaves this for {@link Session#of}. */
    public static final AttributeKey<SessionRequest> KEY = AttributeKey.of("spindle.session");

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final Context ctx;
    private final SessionStore store;
    private final SessionOptions options;
    private final SessionCookies cookies;
    private final SessionMetrics metrics;
    private CompletableFuture<Session> loading;

    public SessionRequest(Context ctx, SessionStore store, SessionOptions options, SessionCookies cookies,
                          SessionMetrics metrics) {
        this.ctx = ctx;
        this.store = store;
        this.options = options;
        this.cookies = cookies;
        this.metrics = metrics;
    }

    /** The request's session work; fails when no session middleware wraps the handler. */
    public static SessionRequest of(Context ctx) {
        return ctx.attribute(KEY).orElseThrow(() -> new IllegalStateException(
                "Session.of(ctx) needs the session middleware in front of " + ctx.route()
                        + ": app.use(state.sessions())"));
    }

    /** The session, loaded once per request. */
    public CompletionStage<Session> load() {
        if (loading != null) {
            return loading;
        }
        Optional<String> id = cookies.idOf(ctx);
        if (id.isEmpty()) {
            loading = CompletableFuture.completedFuture(DefaultSession.fresh(Instant.now()));
            return loading;
        }
        loading = store.load(id.get(), ctx.deadline()).toCompletableFuture()
                .thenApplyAsync(data -> data.filter(this::alive).<Session>map(found -> {
                    metrics.found.increment();
                    return DefaultSession.stored(found);
                }).orElseGet(() -> {
                    metrics.missing.increment();
                    return DefaultSession.fresh(Instant.now());
                }), ctx.executor());
        return loading;
    }

    private boolean alive(SessionData data) {
        Instant now = Instant.now();
        return now.isBefore(data.createdAt().plus(options.absoluteTimeout()))
                && now.isBefore(data.accessedAt().plus(options.idleTimeout()).plus(options.touchInterval()));
    }

    /** Writes the session's changes, then hands back the response (with a cookie when the id is new). */
    public CompletionStage<Response> commit(Response response) {
        if (loading == null) {
            return CompletableFuture.completedFuture(response);
        }
        if (ctx.executor() instanceof EventExecutor loop && !loop.inEventLoop()) {
            return CompletableFuture.supplyAsync(() -> commit(response), loop).thenCompose(stage -> stage);
        }
        if (!loading.isDone() || loading.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(response);
        }
        DefaultSession session = (DefaultSession) loading.join();
        if (session.invalidated()) {
            return invalidate(session, response);
        }
        Instant now = Instant.now();
        Duration ttl = ttl(session, now);
        if (ttl.isZero()) {
            return CompletableFuture.completedFuture(response); // past its absolute timeout: let it go
        }
        if (session.regenerated()) {
            return regenerate(session, response, now, ttl);
        }
        if (session.isNew()) {
            if (!session.changed()) {
                return CompletableFuture.completedFuture(response); // nothing worth a cookie or a write
            }
            SessionUpdate update = new SessionUpdate(true, session.createdAt(), now, ttl, session.puts(), Set.of());
            return store.save(session.id(), update, ctx.deadline()).thenApplyAsync(saved -> {
                metrics.created.increment();
                return response.cookie(cookies.issue(ctx, session.id()));
            }, ctx.executor());
        }
        boolean touchDue = !now.isBefore(session.accessedAt().plus(options.touchInterval()));
        if (!session.changed() && !touchDue) {
            return CompletableFuture.completedFuture(response);
        }
        SessionUpdate update = new SessionUpdate(false, session.createdAt(), now, ttl, session.puts(),
                session.removals());
        return store.save(session.id(), update, ctx.deadline()).thenApply(saved -> {
            if (!saved) {
                log.debug("Session ended by another request before this one wrote to it; its changes are dropped");
            }
            return response;
        });
    }

    private CompletionStage<Response> invalidate(DefaultSession session, Response response) {
        if (session.storedId() == null) {
            return CompletableFuture.completedFuture(
                    cookies.present(ctx) ? response.cookie(cookies.expire(ctx)) : response);
        }
        return store.delete(session.storedId(), ctx.deadline()).thenApplyAsync(done -> {
            metrics.invalidated.increment();
            return response.cookie(cookies.expire(ctx));
        }, ctx.executor());
    }

    private CompletionStage<Response> regenerate(DefaultSession session, Response response, Instant now, Duration ttl) {
        SessionUpdate copy = new SessionUpdate(true, session.createdAt(), now, ttl, Map.copyOf(session.attributes()),
                Set.of());
        String oldId = session.storedId();
        CompletionStage<Boolean> saved = store.save(session.id(), copy, ctx.deadline());
        if (oldId != null) {
            // Two single-key steps (never a cross-slot RENAME), new first, so a failure loses nothing.
            saved = saved.thenCompose(ok -> store.delete(oldId, ctx.deadline()).thenApply(done -> ok));
        }
        return saved.thenApplyAsync(ok -> {
            metrics.regenerated.increment();
            if (oldId == null) {
                metrics.created.increment();
            }
            return response.cookie(cookies.issue(ctx, session.id()));
        }, ctx.executor());
    }

    /** Idle timeout plus the touch slack, but never past the absolute timeout; zero once that has passed. */
    private Duration ttl(DefaultSession session, Instant now) {
        Duration idle = options.idleTimeout().plus(options.touchInterval());
        Duration left = Duration.between(now, session.createdAt().plus(options.absoluteTimeout()));
        if (left.isNegative() || left.isZero()) {
            return Duration.ZERO;
        }
        return left.compareTo(idle) < 0 ? left : idle;
    }
}
