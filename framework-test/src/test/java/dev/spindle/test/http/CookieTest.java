package dev.spindle.test.http;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.spindle.http.Cookie;
import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestClient;
import dev.spindle.test.TestResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CookieTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/set", ctx -> Response.text("set").cookie(Cookie.of("theme", "dark")).completed());
        app.get("/set-custom", ctx -> Response.text("set")
                .cookie(Cookie.of("pref", "1").path("/app").maxAge(Duration.ofHours(1)).secure(true)
                        .sameSite(Cookie.SameSite.STRICT))
                .cookie(Cookie.expire("old"))
                .completed());
        app.get("/read", ctx -> Response.text("theme=" + ctx.cookie("theme").orElse("none")
                + " lang=" + ctx.cookie("lang").orElse("none")).completed());
    });

    /** A Set-Cookie value as {@code name=value} plus attributes by lower-case name (RFC 6265: case-insensitive). */
    private static Map<String, String> parse(String setCookie) {
        Map<String, String> parts = new LinkedHashMap<>();
        String[] pieces = setCookie.split("; ");
        parts.put("cookie", pieces[0]);
        for (int i = 1; i < pieces.length; i++) {
            String[] pair = pieces[i].split("=", 2);
            parts.put(pair[0].toLowerCase(Locale.ROOT), pair.length == 2 ? pair[1] : "");
        }
        return parts;
    }

    @Test
    void setCookieCarriesTheSafeDefaults() {
        TestResponse response = server.client().get("/set");

        assertThat(response.headers("Set-Cookie")).singleElement().satisfies(cookie -> assertThat(parse(cookie))
                .containsExactly(entry("cookie", "theme=dark"), entry("path", "/"), entry("httponly", ""),
                        entry("samesite", "Lax")));
    }

    @Test
    void setCookieCarriesExplicitAttributes() {
        List<String> cookies = server.client().get("/set-custom").headers("Set-Cookie");

        assertThat(cookies).hasSize(2);
        assertThat(parse(cookies.get(0))).contains(entry("cookie", "pref=1"), entry("max-age", "3600"),
                entry("path", "/app"), entry("secure", ""), entry("httponly", ""), entry("samesite", "Strict"));
        assertThat(parse(cookies.get(1))).contains(entry("cookie", "old="), entry("max-age", "0"));
    }

    @Test
    void readsRequestCookies() {
        assertThat(server.client().get("/read", "Cookie", "lang=en; theme=light")).hasBody("theme=light lang=en");
        assertThat(server.client().get("/read")).hasBody("theme=none lang=none");
    }

    @Test
    void browserLikeClientSendsBackWhatWasSet() {
        TestClient browser = server.client().withCookies();

        browser.get("/set");

        assertThat(browser.get("/read")).hasBody("theme=dark lang=none");
    }
}
