package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The response headers browsers use to limit what a page can be tricked into, with defaults that
 * suit an API and the pages it serves: {@code X-Content-Type-Options: nosniff},
 * {@code Referrer-Policy: strict-origin-when-cross-origin}, {@code X-Frame-Options: DENY}, a
 * strict {@code Content-Security-Policy} on HTML responses, and {@code Strict-Transport-Security}
 * on requests that came over HTTPS (directly or through a trusted proxy, see
 * {@link Context#scheme()}). A header the handler set itself is left alone, so one page can carry
 * its own policy; each default can be changed or turned off.
 *
 * <pre>{@code
 * app.use(SecurityHeaders.builder()
 *         .contentSecurityPolicy("default-src 'self'; img-src 'self' https://cdn.example.com")
 *         .hsts(Duration.ofDays(365), true)
 *         .build());
 * }</pre>
 */
public final class SecurityHeaders implements Middleware {

    /** The CSP for HTML unless changed: same-origin resources only, no plugins, no framing. */
    public static final String DEFAULT_CSP = "default-src 'self'; base-uri 'self'; object-src 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private final List<Map.Entry<String, String>> always;
    private final String csp;
    private final String hsts;

    private SecurityHeaders(Builder builder) {
        this.always = List.copyOf(builder.always.entrySet());
        this.csp = builder.csp;
        this.hsts = builder.hsts;
    }

    /** The defaults: {@code app.use(SecurityHeaders.defaults())}. */
    public static SecurityHeaders defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletionStage<Response> handle(Context ctx, Handler next) throws Exception {
        boolean https = "https".equals(ctx.scheme());
        return next.handle(ctx).thenApply(response -> {
            Response secured = response;
            for (Map.Entry<String, String> header : always) {
                secured = setIfAbsent(secured, header.getKey(), header.getValue());
            }
            if (csp != null && isHtml(response)) {
                secured = setIfAbsent(secured, "Content-Security-Policy", csp);
            }
            if (hsts != null && https) {
                secured = setIfAbsent(secured, "Strict-Transport-Security", hsts);
            }
            return secured;
        });
    }

    private static boolean isHtml(Response response) {
        return response.contentType().map(type -> type.toLowerCase(Locale.ROOT).startsWith("text/html")).orElse(false);
    }

    private static Response setIfAbsent(Response response, String name, String value) {
        return response.header(name).isPresent() ? response : response.header(name, value);
    }

    /** Changes to the defaults; a {@code null}-free API: turn a header off with {@link #without(String)}. */
    public static final class Builder {

        private final Map<String, String> always = new LinkedHashMap<>();
        private String csp = DEFAULT_CSP;
        private String hsts = "max-age=31536000; includeSubDomains";

        private Builder() {
            always.put("X-Content-Type-Options", "nosniff");
            always.put("Referrer-Policy", "strict-origin-when-cross-origin");
            always.put("X-Frame-Options", "DENY");
        }

        /** The {@code Content-Security-Policy} of HTML responses. */
        public Builder contentSecurityPolicy(String policy) {
            csp = requireNonNull(policy, "policy");
            return this;
        }

        /** The {@code Referrer-Policy}, e.g. {@code no-referrer}. */
        public Builder referrerPolicy(String policy) {
            return header("Referrer-Policy", policy);
        }

        /** {@code X-Frame-Options}: {@code DENY} (default) or {@code SAMEORIGIN}. */
        public Builder frameOptions(String value) {
            return header("X-Frame-Options", value);
        }

        /** {@code Strict-Transport-Security} on HTTPS requests: one year with subdomains by default. */
        public Builder hsts(Duration maxAge, boolean includeSubDomains) {
            requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: >= 0)");
            }
            hsts = "max-age=" + maxAge.toSeconds() + (includeSubDomains ? "; includeSubDomains" : "");
            return this;
        }

        /** Adds or replaces a header set on every response, e.g. {@code Cross-Origin-Opener-Policy}. */
        public Builder header(String name, String value) {
            Response.empty(204).header(name, value); // checks the name and value as every response header is checked
            always.put(canonical(name), value);
            return this;
        }

        /** Turns off one header, e.g. {@code without("Content-Security-Policy")}. */
        public Builder without(String name) {
            String key = canonical(requireNonNull(name, "name"));
            switch (key.toLowerCase(Locale.ROOT)) {
                case "content-security-policy" -> csp = null;
                case "strict-transport-security" -> hsts = null;
                default -> {
                    if (always.remove(key) == null) {
                        throw new IllegalArgumentException("name: " + name + " (expected: a header this middleware sets)");
                    }
                }
            }
            return this;
        }

        private String canonical(String name) {
            for (String known : always.keySet()) {
                if (known.equalsIgnoreCase(name)) {
                    return known;
                }
            }
            return name;
        }

        /** The middleware. */
        public SecurityHeaders build() {
            return new SecurityHeaders(this);
        }
    }
}
