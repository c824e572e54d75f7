package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Cross-origin resource sharing as the Fetch standard describes it. Preflights ({@code OPTIONS}
 * with {@code Access-Control-Request-Method}) are answered here, before routing reaches a handler,
 * also for routes that only exist in the group this middleware is on; actual requests from an
 * allowed origin get {@code Access-Control-Allow-Origin} and friends. {@code Vary: Origin} is on
 * every response whose headers depend on the origin, so a shared cache never serves one origin's
 * answer to another. A request from an origin that is not allowed is served without CORS headers
 * (the browser then hides the answer from the page); its preflight is refused with 403.
 *
 * <pre>{@code
 * api.use(Cors.builder()
 *         .allowOrigins("https://app.example.com")
 *         .allowOriginPattern("https://*.preview.example.com")
 *         .allowMethods(Method.GET, Method.POST, Method.DELETE)
 *         .allowCredentials(true)
 *         .maxAge(Duration.ofHours(1))
 *         .build());
 * }</pre>
 */
public final class Cors implements Middleware {

    private final Predicate<String> origins;
    private final boolean anyOrigin;
    private final Set<Method> methods;
    private final String allowMethods;
    private final Set<String> headers;
    private final String exposeHeaders;
    private final boolean credentials;
    private final String maxAge;

    private Cors(Builder builder) {
        this.anyOrigin = builder.anyOrigin;
        List<Predicate<String>> tests = List.copyOf(builder.origins);
        this.origins = origin -> anyOrigin || tests.stream().anyMatch(test -> test.test(origin));
        this.methods = EnumSet.copyOf(builder.methods);
        this.allowMethods = methods.stream().map(Method::name).collect(Collectors.joining(", "));
        this.headers = builder.headers == null ? null : Set.copyOf(builder.headers);
        this.exposeHeaders = String.join(", ", builder.exposed);
        this.credentials = builder.credentials;
        this.maxAge = builder.maxAge == null ? null : Long.toString(builder.maxAge.toSeconds());
    }

    /** A builder; nothing is allowed until origins are added. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletionStage<Response> handle(Context ctx, Handler next) throws Exception {
        String origin = ctx.header("Origin").orElse(null);
        String requested = ctx.header("Access-Control-Request-Method").orElse(null);
        if (origin != null && requested != null && ctx.method() == Method.OPTIONS) {
            return preflight(ctx, origin, requested).completed();
        }
        boolean allowed = origin != null && origins.test(origin);
        return next.handle(ctx).thenApply(response -> {
            Response decorated = varyOnOrigin(response);
            if (!allowed) {
                return decorated;
            }
            decorated = allowOrigin(decorated, origin);
            return exposeHeaders.isEmpty() ? decorated : decorated.header("Access-Control-Expose-Headers", exposeHeaders);
        });
    }

    private Response preflight(Context ctx, String origin, String requested) {
        if (!origins.test(origin)) {
            return vary(refused("origin " + origin + " is not allowed"));
        }
        Method method = methodOf(requested);
        if (method == null || !methods.contains(method)) {
            return vary(refused("method " + requested + " is not allowed (allowed: " + allowMethods + ")"));
        }
        String requestedHeaders = String.join(",", ctx.headers("Access-Control-Request-Headers"));
        List<String> names = new ArrayList<>();
        for (String name : requestedHeaders.split(",")) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (!trimmed.isEmpty()) {
                names.add(trimmed);
            }
        }
        if (headers != null) {
            for (String name : names) {
                if (!headers.contains(name)) {
                    return vary(refused("header " + name + " is not allowed"));
                }
            }
        }
        Response response = allowOrigin(vary(Response.empty(204)), origin).header("Access-Control-Allow-Methods",
                allowMethods);
        if (!names.isEmpty()) {
            response = response.header("Access-Control-Allow-Headers", String.join(", ", names));
        }
        return maxAge == null ? response : response.header("Access-Control-Max-Age", maxAge);
    }

    private static Response refused(String why) {
        return Response.problem(Problem.of(403, "CORS preflight refused: " + why));
    }

    private Response allowOrigin(Response response, String origin) {
        Response allowed = response.header("Access-Control-Allow-Origin", anyOrigin && !credentials ? "*" : origin);
        return credentials ? allowed.header("Access-Control-Allow-Credentials", "true") : allowed;
    }

    private Response varyOnOrigin(Response response) {
        return anyOrigin && !credentials ? response : response.header("Vary", "Origin");
    }

    private Response vary(Response preflight) {
        return varyOnOrigin(preflight).header("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers");
    }

    private static Method methodOf(String name) {
        try {
            return Method.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Which origins, methods and headers are allowed; see {@link Cors}. */
    public static final class Builder {

        private final List<Predicate<String>> origins = new ArrayList<>();
        private boolean anyOrigin;
        private Set<Method> methods = EnumSet.of(Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.PATCH,
                Method.DELETE);
        private Set<String> headers;
        private final Set<String> exposed = new LinkedHashSet<>();
        private boolean credentials;
        private Duration maxAge;

        private Builder() {}

        /** Allows these exact origins, e.g. {@code https://app.example.com} (scheme, host and non-default port). */
        public Builder allowOrigins(String... origins) {
            for (String origin : origins) {
                String exact = requireNonNull(origin, "origin").toLowerCase(Locale.ROOT);
                this.origins.add(exact::equals);
            }
            return this;
        }

        /**
         * Allows origins matching a pattern where {@code *} stands for one or more host labels, e.g.
         * {@code https://*.example.com} (which does not match {@code https://example.com} itself).
         */
        public Builder allowOriginPattern(String pattern) {
            String[] parts = requireNonNull(pattern, "pattern").toLowerCase(Locale.ROOT).split("\\*", -1);
            String regex = java.util.Arrays.stream(parts).map(Pattern::quote)
                    .collect(Collectors.joining("[a-z0-9-]+(?:\\.[a-z0-9-]+)*"));
            Pattern compiled = Pattern.compile(regex);
            origins.add(origin -> compiled.matcher(origin).matches());
            return this;
        }

        /** Allows the origins {@code test} accepts (a lookup in a tenant table, say); it runs on the event loop. */
        public Builder allowOrigin(Predicate<String> test) {
            origins.add(requireNonNull(test, "test"));
            return this;
        }

        /** Allows any origin ({@code *}); not combinable with credentials. */
        public Builder allowAnyOrigin() {
            anyOrigin = true;
            return this;
        }

        /** The methods preflights may ask for (default GET, HEAD, POST, PUT, PATCH, DELETE). */
        public Builder allowMethods(Method... methods) {
            this.methods = EnumSet.noneOf(Method.class);
            for (Method method : methods) {
                this.methods.add(requireNonNull(method, "method"));
            }
            return this;
        }

        /** The request headers preflights may ask for; by default any header asked for is allowed. */
        public Builder allowHeaders(String... names) {
            headers = new LinkedHashSet<>();
            for (String name : names) {
                headers.add(requireNonNull(name, "name").toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** Response headers scripts may read beyond the safelisted ones, e.g. {@code X-Request-Id}. */
        public Builder exposeHeaders(String... names) {
            for (String name : names) {
                exposed.add(requireNonNull(name, "name"));
            }
            return this;
        }

        /** Whether cookies and HTTP authentication may be sent ({@code Access-Control-Allow-Credentials}). */
        public Builder allowCredentials(boolean allow) {
            credentials = allow;
            return this;
        }

        /** How long browsers may cache a preflight answer; unset by default (browsers use 5 s). */
        public Builder maxAge(Duration maxAge) {
            requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: >= 0)");
            }
            this.maxAge = maxAge;
            return this;
        }

        /** The middleware. */
        public Cors build() {
            if (anyOrigin && credentials) {
                throw new IllegalStateException("allowAnyOrigin() with allowCredentials(true) would let every site act "
                        + "as the user (expected: list the origins, or a pattern or predicate)");
            }
            if (!anyOrigin && origins.isEmpty()) {
                throw new IllegalStateException("No origin allowed (expected: allowOrigins, allowOriginPattern, "
                        + "allowOrigin or allowAnyOrigin)");
            }
            if (methods.isEmpty()) {
                throw new IllegalStateException("allowMethods() (expected: at least one method)");
            }
            return new Cors(this);
        }
    }
}
