package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.Handler;
import dev.spindle.http.Middleware;
import dev.spindle.http.Response;
import dev.spindle.state.internal.Json;
import dev.spindle.state.internal.SessionCookies;
import dev.spindle.state.internal.SessionIds;
import dev.spindle.state.internal.SessionMetrics;
import dev.spindle.state.internal.SessionRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the handlers it wraps a {@link Session}, like express-session with connect-redis or
 * Spring Session, without their lost updates. Nothing is read until a handler calls
 * {@link Session#of(Context)}; changes are written after the handler's response is ready and
 * before it is sent, so the next request sees them. A response with a 5xx status writes nothing
 * but an invalidation (see {@link Session} for the exact rule). Responses that set or clear the
 * cookie get {@code Cache-Control: no-store} and {@code Vary: Cookie}.
 *
 * <pre>{@code
 * app.use(SessionMiddleware.create(SessionStore.redis(redis), SessionOptions.defaults(), app.meterRegistry()));
 * }</pre>
 */
public final class SessionMiddleware implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(SessionMiddleware.class);

    private final SessionStore store;
    private final SessionOptions options;
    private final SessionCookies cookies;
    private final SessionMetrics metrics;
    private final Json json;

    private SessionMiddleware(SessionStore store, SessionOptions options, MeterRegistry registry, Json json) {
        this.store = requireNonNull(store, "store");
        this.options = requireNonNull(options, "options");
        this.cookies = new SessionCookies(options);
        this.metrics = new SessionMetrics(requireNonNull(registry, "registry"));
        this.json = json;
    }

    /**
     * Session middleware over {@code store}; metrics {@code spindle.sessions.*} go to {@code registry}.
     * Attributes are JSON through Jackson's defaults ({@link State#install} uses the app's mapper).
     */
    public static SessionMiddleware create(SessionStore store, SessionOptions options, MeterRegistry registry) {
        return create(store, options, registry, Json.defaults());
    }

    static SessionMiddleware create(SessionStore store, SessionOptions options, MeterRegistry registry, Json json) {
        SessionIds.seed();
        if (options.cookieSecurity() == SessionOptions.CookieSecurity.NEVER) {
            log.warn("Session cookies go out without Secure (session.cookie-secure=never): anyone on the network "
                    + "path can read and replay them. Use it only for plain-HTTP traffic inside a trusted network.");
        } else if (options.cookieSecurity() == SessionOptions.CookieSecurity.AUTO && !options.prefixDemandsSecure()) {
            log.info("Session cookies are Secure, except for plain-HTTP requests from this machine without proxy "
                    + "headers (local development); session.cookie-secure=always makes them Secure everywhere");
        }
        return new SessionMiddleware(store, options, registry, json);
    }

    /** The store sessions live in. */
    public SessionStore store() {
        return store;
    }

    @Override
    public CompletionStage<Response> handle(Context ctx, Handler next) throws Exception {
        SessionRequest request = new SessionRequest(ctx, store, options, cookies, metrics, json);
        ctx.attribute(SessionRequest.KEY, request);
        return next.handle(ctx).thenCompose(request::commit);
    }
}
