package dev.spindle.state.internal;

import dev.spindle.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The request-side checks of {@code Csrf}: where the request came from, and the token it sent. */
public final class CsrfChecks {

    private CsrfChecks() {}

    /**
     * Why the request is cross-site, if it is: {@code Sec-Fetch-Site} from modern browsers first,
     * else {@code Origin}, compared with this request's own origin (scheme from
     * {@link Context#scheme()}, host from {@code Host}) and the trusted ones. Requests with neither
     * header (not from a browser) pass here; the token decides.
     */
    public static Optional<String> crossSite(Context ctx, Set<String> trustedOrigins) {
        Optional<String> origin = ctx.header("Origin").map(value -> value.trim().toLowerCase(Locale.ROOT));
        if (origin.isPresent() && trustedOrigins.contains(origin.get())) {
            return Optional.empty();
        }
        Optional<String> site = ctx.header("Sec-Fetch-Site").map(value -> value.trim().toLowerCase(Locale.ROOT));
        if (site.isPresent()) {
            return site.get().equals("same-origin") || site.get().equals("none") ? Optional.empty()
                    : Optional.of("Sec-Fetch-Site is " + site.get());
        }
        if (origin.isEmpty()) {
            return Optional.empty();
        }
        String own = ctx.scheme() + "://" + ctx.header("Host").orElse("").toLowerCase(Locale.ROOT);
        return origin.get().equals(own) ? Optional.empty()
                : Optional.of("Origin " + origin.get() + " is not this site (" + own + ")");
    }

    /** The {@code name} field of a url-encoded form body. */
    public static Optional<String> formField(Context ctx, String name) {
        boolean form = ctx.header("Content-Type").map(type -> type.toLowerCase(Locale.ROOT)
                .startsWith("application/x-www-form-urlencoded")).orElse(false);
        if (!form) {
            return Optional.empty();
        }
        for (String pair : ctx.bodyText().split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && decode(pair.substring(0, equals)).equals(name)) {
                return Optional.of(decode(pair.substring(equals + 1)));
            }
        }
        return Optional.empty();
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Constant-time comparison, so response times do not reveal how much of a guess was right. */
    public static boolean same(String expected, String sent) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }
}
