package dev.spindle.state.internal;

import dev.spindle.http.Cookie;
import dev.spindle.http.Response;
import java.util.Locale;

/**
 * A response that sets or clears the session cookie must never be stored by a shared cache and
 * served to someone else: {@code Cache-Control: no-store} (replacing a handler's public caching)
 * and {@code Vary: Cookie}.
 */
final class SessionResponses {

    private SessionResponses() {}

    static Response withCookie(Response response, Cookie cookie) {
        Response out = response.cookie(cookie);
        String cacheControl = out.header("Cache-Control").orElse(null);
        if (cacheControl == null) {
            out = out.header("Cache-Control", "no-store");
        } else {
            String lower = cacheControl.toLowerCase(Locale.ROOT);
            if (!lower.contains("no-store") && !lower.contains("private")) {
                out = without(out, "Cache-Control").header("Cache-Control", "no-store");
            }
        }
        String vary = out.header("Vary").orElse("").toLowerCase(Locale.ROOT);
        if (!vary.contains("cookie") && !vary.trim().equals("*")) {
            out = out.header("Vary", "Cookie");
        }
        return out;
    }

    private static Response without(Response response, String header) {
        Response[] copy = {Response.of(response.status(), response.contentType().orElse(null), response.body())};
        response.forEachHeader((name, value) -> {
            if (!name.equalsIgnoreCase(header)) {
                copy[0] = copy[0].header(name, value);
            }
        });
        for (Cookie cookie : response.cookies()) {
            copy[0] = copy[0].cookie(cookie);
        }
        return copy[0];
    }
}
