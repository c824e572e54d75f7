package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.Handler;
import dev.spindle.http.Middleware;
import dev.spindle.http.Response;
import dev.spindle.state.internal.SessionCookies;
import dev.spindle.state.internal.SessionIds;
import dev.spindle.state.internal.SessionMetrics;
import dev.spindle.state.internal.SessionRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletionStage;

/**
 * Gives the handlers it wraps a {@link Session}, like express-session with connect-redis or
 * Spring Session, without their lost updates. Nothing is read until a handler calls
 * {@link Session#of(Context)}; changes are written after the handler's response is ready and
 * before it is sent, so the next request sees them. A failed handler writes nothing.
 *
 * <pre>{@code
 * app.use(SessionMiddleware.create(SessionStore.redis(redis), SessionOptions.defaults(), app.meterRegistry()));
 * }</pre>
 */
public final class SessionMiddleware implements Middleware {

    private final SessionStore store;
    private final SessionOptions options;
    private final SessionCookies cookies;
    private final SessionMetrics metrics;

    private SessionMiddleware(SessionStore store, SessionOptions options, MeterRegistry registry) {
        this.store = requireNonNull(store, "store");
        this.options = requireNonNull(options, "options");
        this.cookies = new SessionCookies(options);
        this.metrics = new SessionMetrics(requireNonNull(registry, "registry"));
    }

    /** Session middleware over {@code store}; metrics {@code spindle.sessions.*} go to {@code registry}. */
    public static SessionMiddleware create(SessionStore store, SessionOptions options, MeterRegistry registry) {
        SessionIds.seed();
        return new SessionMiddleware(store, options, registry);
    }

    /** The store sessions live in. */
    public SessionStore store() {
        return store;
    }

    @Override
    public CompletionStage<Response> handle(Context ctx, Handler next) throws Exception {
        SessionRequest request = new SessionRequest(ctx, store, options, cookies, metrics);
        ctx.attribute(SessionRequest.KEY, request);
        return next.handle(ctx).thenCompose(request::commit);
    }
}
