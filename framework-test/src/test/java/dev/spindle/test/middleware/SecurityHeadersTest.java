package dev.spindle.test.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.http.SecurityHeaders;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SecurityHeadersTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.use(SecurityHeaders.defaults());
        app.get("/json", ctx -> Response.json(java.util.Map.of("a", 1)).completed());
        app.get("/page", ctx -> Response.html("<p>hi</p>").completed());
        app.get("/own-policy", ctx -> Response.html("<p>maps</p>")
                .header("Content-Security-Policy", "default-src 'self' https://maps.example").completed());
        app.group("/custom", custom -> {
            custom.use(SecurityHeaders.builder()
                    .referrerPolicy("no-referrer")
                    .frameOptions("SAMEORIGIN")
                    .without("Content-Security-Policy")
                    .hsts(Duration.ofDays(1), false)
                    .header("Cross-Origin-Opener-Policy", "same-origin")
                    .build());
            custom.get("/page", ctx -> Response.html("<p>custom</p>").completed());
        });
    }).set("http.trusted-proxies", "loopback");

    @Test
    void everyResponseGetsTheBaseline() {
        TestResponse response = server.client().get("/json");

        assertThat(response.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.header("Referrer-Policy")).contains("strict-origin-when-cross-origin");
        assertThat(response.header("X-Frame-Options")).contains("DENY");
        assertThat(response.header("Content-Security-Policy")).isEmpty();
        assertThat(response.header("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void htmlGetsAContentSecurityPolicy() {
        assertThat(server.client().get("/page").header("Content-Security-Policy")).contains(SecurityHeaders.DEFAULT_CSP);
    }

    @Test
    void errorAnswersAreCoveredToo() {
        assertThat(server.client().get("/missing").header("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void aPolicyTheHandlerSetIsKept() {
        assertThat(server.client().get("/own-policy").headers("Content-Security-Policy"))
                .containsExactly("default-src 'self' https://maps.example");
    }

    @Test
    void hstsOnlyWhenATrustedProxySaysTheClientUsedHttps() {
        assertThat(server.client().get("/json", "X-Forwarded-Proto", "https").header("Strict-Transport-Security"))
                .contains("max-age=31536000; includeSubDomains");
        assertThat(server.client().get("/json", "X-Forwarded-Proto", "http").header("Strict-Transport-Security"))
                .isEmpty();
    }

    @Test
    void eachDefaultCanBeChangedOrTurnedOff() {
        TestResponse response = server.client().get("/custom/page", "X-Forwarded-Proto", "https");

        assertThat(response.headers("Referrer-Policy")).contains("no-referrer");
        assertThat(response.headers("X-Frame-Options")).contains("SAMEORIGIN");
        assertThat(response.headers("Strict-Transport-Security")).contains("max-age=86400");
        assertThat(response.header("Cross-Origin-Opener-Policy")).contains("same-origin");
    }
}
