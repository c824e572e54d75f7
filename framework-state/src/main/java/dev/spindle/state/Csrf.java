package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.Handler;
import dev.spindle.http.Method;
import dev.spindle.http.Middleware;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import dev.spindle.state.internal.CsrfChecks;
import dev.spindle.state.internal.SessionIds;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Cross-site request forgery protection for apps that keep users in a cookie session. Safe
 * methods (GET, HEAD, OPTIONS) pass; an unsafe one must come from this site, which browsers tell
 * through {@code Sec-Fetch-Site} or {@code Origin} (another origin is refused unless trusted), and
 * carry the session's token: a synchronizer token kept in the session, so it lives, moves and
 * expires with it in Redis or memory, sent back in a header ({@code X-CSRF-Token}) or, for HTML
 * forms, a {@code _csrf} field. Get the token for a page or a script with {@link #token(Context)}.
 * A JSON API whose clients always send a custom header can use {@link #headerOnly(String)}
 * instead: browsers cannot add such a header to a cross-site request without a CORS preflight.
 * The token check lives here, beside the sessions it is bound to; it needs the session middleware
 * in front of it.
 *
 * <pre>{@code
 * app.use(state.sessions());
 * app.use(Csrf.sessionToken().build());
 * app.get("/csrf", ctx -> Csrf.token(ctx).thenApply(token -> Response.json(Map.of("token", token))));
 * }</pre>
 */
public final class Csrf implements Middleware {

    /** The session attribute holding the token. */
    static final String ATTRIBUTE = "_csrf";

    private final String header;
    private final boolean sessionToken;
    private final String formField;
    private final Set<String> trustedOrigins;

    private Csrf(Builder builder) {
        this.header = builder.header;
        this.sessionToken = builder.sessionToken;
        this.formField = builder.formField;
        this.trustedOrigins = Set.copyOf(builder.trustedOrigins);
    }

    /** Checks the session's token (header or form field) and the origin on unsafe requests. */
    public static Builder sessionToken() {
        SessionIds.seed();
        return new Builder(true, "X-CSRF-Token");
    }

    /** Checks that unsafe requests carry {@code header} (any value) and come from this site; no session needed. */
    public static Builder headerOnly(String header) {
        return new Builder(false, requireNonNull(header, "header"));
    }

    /**
     * The token of {@code ctx}'s session, made and stored on first use; put it in a form's
     * {@code _csrf} field or a page's meta tag, or hand it to a script that sends it as a header.
     */
    public static CompletionStage<String> token(Context ctx) {
        return Session.of(ctx).thenApply(session -> session.get(ATTRIBUTE, String.class).orElseGet(() -> {
            String token = SessionIds.next();
            session.put(ATTRIBUTE, token);
            return token;
        }));
    }

    @Override
    public CompletionStage<Response> handle(Context ctx, Handler next) throws Exception {
        Method method = ctx.method();
        if (method == Method.GET || method == Method.HEAD || method == Method.OPTIONS) {
            return next.handle(ctx);
        }
        Optional<String> crossSite = CsrfChecks.crossSite(ctx, trustedOrigins);
        if (crossSite.isPresent()) {
            return refuse(crossSite.get());
        }
        Optional<String> sent = ctx.header(header).or(() -> formField == null ? Optional.empty()
                : CsrfChecks.formField(ctx, formField));
        if (sent.isEmpty()) {
            return refuse(sessionToken ? "the request carries no token (" + header + " header or " + formField
                    + " field)" : "the request lacks the " + header + " header");
        }
        if (!sessionToken) {
            return next.handle(ctx);
        }
        return Session.of(ctx).thenCompose(session -> {
            Optional<String> expected = session.get(ATTRIBUTE, String.class);
            if (expected.isEmpty() || !CsrfChecks.same(expected.get(), sent.get())) {
                return refuse("the token does not match this session's");
            }
            try {
                return next.handle(ctx);
            } catch (Exception e) {
                return java.util.concurrent.CompletableFuture.failedFuture(e);
            }
        });
    }

    private static CompletionStage<Response> refuse(String why) {
        return Response.problem(Problem.of(403, "Cross-site request check failed: " + why)).completed();
    }

    /** Options: where the token may come from and which other origins may send unsafe requests. */
    public static final class Builder {

        private final boolean sessionToken;
        private String header;
        private String formField;
        private final Set<String> trustedOrigins = new LinkedHashSet<>();

        private Builder(boolean sessionToken, String header) {
            this.sessionToken = sessionToken;
            this.header = header;
            this.formField = sessionToken ? ATTRIBUTE : null;
        }

        /** The request header carrying the token (default {@code X-CSRF-Token}). */
        public Builder header(String name) {
            header = requireNonNull(name, "name");
            return this;
        }

        /** Whether a {@code _csrf} field of a url-encoded form body is accepted too (default yes with session tokens). */
        public Builder formField(boolean accept) {
            formField = accept && sessionToken ? ATTRIBUTE : null;
            return this;
        }

        /** Other origins allowed to send unsafe requests, e.g. {@code https://admin.example.com}. */
        public Builder trustedOrigins(String... origins) {
            for (String origin : origins) {
                trustedOrigins.add(requireNonNull(origin, "origin").toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** The middleware. */
        public Csrf build() {
            return new Csrf(this);
        }
    }
}
