package dev.spindle.state.internal;

import dev.spindle.core.LoopExecutor;
import dev.spindle.http.AttributeKey;
import dev.spindle.http.Context;
import dev.spindle.http.Response;
import dev.spindle.state.Session;
import dev.spindle.state.SessionData;
import dev.spindle.state.SessionOptions;
import dev.spindle.state.SessionStore;
import dev.spindle.state.SessionUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session work of one request: loads on first {@link Session#of} (never before), and after
 * the handler writes back only what changed (nothing on a 5xx but an invalidation), touches a
 * session that was only read once per touch interval (best effort), moves it on regenerate and
 * deletes it on invalidate. Runs on the request's loop; every stage it hands out completes there.
 *
 * <p>A cancelled request (its client got the deadline's 503, or left) writes nothing, as a 5xx
 * does not: its stages fail at once with a {@code CancellationException}. A store operation
 * already under way is left to finish rather than stopped halfway (a move cut between taking the
 * old session and writing the new one would lose both); only its result is dropped.
 */
public final class SessionRequest {

    /** Where the middleware leaves this for {@link Session#of}. */
    public static final AttributeKey<SessionRequest> KEY = AttributeKey.of("spindle.session");

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final Context ctx;
    private CallScope scope; // made on first use: most requests behind the middleware never touch their session
    private final SessionStore store;
    private final SessionOptions options;
    private final SessionCookies cookies;
    private final SessionMetrics metrics;
    private final Json json;
    private CompletableFuture<Session> loading;
    private boolean reissue;

    public SessionRequest(Context ctx, SessionStore store, SessionOptions options, SessionCookies cookies,
                          SessionMetrics metrics, Json json) {
        this.ctx = ctx;
        this.store = store;
        this.options = options;
        this.cookies = cookies;
        this.metrics = metrics;
        this.json = json;
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
        Optional<SessionCookies.Presented> presented = cookies.idOf(ctx);
        if (presented.isEmpty()) {
            loading = CompletableFuture.completedFuture(DefaultSession.fresh(options.clock().now(), json));
            return loading;
        }
        reissue = presented.get().reissue();
        CallScope scope = scope();
        loading = scope.guard(scope.resume(store.load(presented.get().id(), ctx.deadline()))
                .thenApply(data -> data.filter(this::alive).<Session>map(found -> {
                    metrics.found.increment();
                    return DefaultSession.stored(found, json);
                }).orElseGet(() -> {
                    metrics.missing.increment();
                    reissue = false;
                    return DefaultSession.fresh(options.clock().now(), json);
                })));
        return loading;
    }

    /** Deletes every session of {@code principal}. */
    public CompletionStage<Integer> invalidateAll(String principal) {
        java.util.Objects.requireNonNull(principal, "principal");
        if (ctx.cancelled()) {
            return CompletableFuture.failedFuture(CallScope.cancelled());
        }
        return resume(store.deleteAllOf(principal, ctx.deadline()));
    }

    private boolean alive(SessionData data) {
        Instant now = options.clock().now();
        return now.isBefore(data.createdAt().plus(options.absoluteTimeout()))
                && now.isBefore(data.accessedAt().plus(options.idleTimeout()).plus(options.touchInterval()));
    }

    /** Writes the session's changes, then hands back the response (with a cookie when the id is new). */
    public CompletionStage<Response> commit(Response response) {
        if (loading == null) {
            return CompletableFuture.completedFuture(response);
        }
        if (LoopExecutor.isLoop(ctx.executor()) && !LoopExecutor.inLoopOf(ctx.executor())) {
            return CompletableFuture.supplyAsync(() -> commit(response), ctx.executor()).thenCompose(stage -> stage);
        }
        if (ctx.cancelled()) {
            // Answered already (the deadline's 503) or nobody to answer: like a 5xx, it keeps nothing.
            return CompletableFuture.failedFuture(CallScope.cancelled());
        }
        if (!loading.isDone() || loading.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(response);
        }
        DefaultSession session = (DefaultSession) loading.join();
        if (session.invalidated()) {
            return invalidate(session, response);
        }
        if (response.status() >= 500) {
            return CompletableFuture.completedFuture(response); // a failure keeps nothing and rotates nothing
        }
        Instant now = options.clock().now();
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
            return resume(store.save(session.id(), update, ctx.deadline()))
                    .thenCompose(saved -> index(session, now))
                    .thenApply(done -> {
                        metrics.created.increment();
                        return SessionResponses.withCookie(response, cookies.issue(ctx, session.id()));
                    });
        }
        Response answer = reissue ? SessionResponses.withCookie(response, cookies.issue(ctx, session.id())) : response;
        boolean touchDue = !now.isBefore(session.accessedAt().plus(options.touchInterval()));
        if (!session.changed() && !touchDue) {
            return CompletableFuture.completedFuture(answer);
        }
        SessionUpdate update = new SessionUpdate(false, session.createdAt(), now, ttl, session.puts(),
                session.removals());
        CompletableFuture<Boolean> saved = resume(store.save(session.id(), update, ctx.deadline()));
        if (!session.changed()) {
            return saved.handle((ok, failure) -> {
                if (failure != null) {
                    log.debug("Touching a session failed; its expiry moves at the next touch: {}", failure.toString());
                }
                return answer;
            });
        }
        return saved.thenCompose(ok -> {
            if (!ok) {
                log.debug("Session ended by another request before this one wrote to it; its changes are dropped");
                return CompletableFuture.completedFuture(answer);
            }
            return index(session, now).thenApply(done -> answer);
        });
    }

    private CompletionStage<Response> invalidate(DefaultSession session, Response response) {
        if (session.storedId() == null) {
            return CompletableFuture.completedFuture(
                    cookies.present(ctx) ? SessionResponses.withCookie(response, cookies.expire(ctx)) : response);
        }
        return resume(store.delete(session.storedId(), ctx.deadline())).thenApply(done -> {
            metrics.invalidated.increment();
            return SessionResponses.withCookie(response, cookies.expire(ctx));
        });
    }

    private CompletionStage<Response> regenerate(DefaultSession session, Response response, Instant now, Duration ttl) {
        String oldId = session.storedId();
        SessionUpdate changes = new SessionUpdate(true, session.createdAt(), now, ttl, session.puts(),
                session.removals());
        CompletionStage<?> moved = oldId == null ? store.save(session.id(), changes, ctx.deadline())
                : store.move(oldId, session.id(), changes, ctx.deadline());
        return resume(moved).thenCompose(done -> index(session, now)).thenApply(done -> {
            metrics.regenerated.increment();
            if (oldId == null) {
                metrics.created.increment();
            }
            return SessionResponses.withCookie(response, cookies.issue(ctx, session.id()));
        });
    }

    /** Tells the store's principal index about the session when its principal or id changed. */
    private CompletableFuture<Void> index(DefaultSession session, Instant now) {
        Optional<String> principal = session.indexDue() ? session.principal() : Optional.empty();
        if (principal.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Duration life = Duration.between(now, session.createdAt().plus(options.absoluteTimeout()));
        return resume(store.index(principal.get(), session.id(), life, ctx.deadline()));
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

    private <T> CompletableFuture<T> resume(CompletionStage<T> stage) {
        return scope().resume(stage);
    }

    private CallScope scope() {
        if (scope == null) {
            scope = CallScope.of(ctx);
        }
        return scope;
    }
}
