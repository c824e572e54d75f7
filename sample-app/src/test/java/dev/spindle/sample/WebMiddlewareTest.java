package dev.spindle.sample;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sample's everyday middleware: security headers, CORS for its front end, a rate limit on login. */
class WebMiddlewareTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(SampleApp::install)
            .set("sample.api-key", "test-key")
            .set("sample.password-iterations", "1000")
            .set("sample.login-limit", "2")
            .set("sample.cors-origins", "https://app.example.com");

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        TestResponse response = server.client().get("/hello/world");

        assertThat(response.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.header("X-Frame-Options")).contains("DENY");
        assertThat(server.client().get("/api/v1/users/none").header("Referrer-Policy"))
                .contains("strict-origin-when-cross-origin");
    }

    @Test
    void theFrontEndsOriginMayCallTheApiWithCookies() {
        TestResponse preflight = server.client().method("OPTIONS", "/api/v1/users/42", "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type, x-api-key");
        TestResponse foreign = server.client().method("OPTIONS", "/api/v1/users", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST");

        assertThat(preflight).hasStatus(204);
        assertThat(preflight.header("Access-Control-Allow-Credentials")).contains("true");
        assertThat(foreign).isProblem(403);
        assertThat(server.client().get("/api/v1/users", "Origin", "https://app.example.com")
                .header("Access-Control-Allow-Origin")).contains("https://app.example.com");
    }

    @Test
    void loginsArePacedPerClient() {
        String wrong = "{\"email\":\"nobody@example.com\",\"password\":\"guess guess\"}";
        assertThat(server.client().post("/api/v1/login", wrong)).isProblem(401);
        assertThat(server.client().post("/api/v1/login", wrong)).isProblem(401);

        TestResponse paced = server.client().post("/api/v1/login", wrong);

        assertThat(paced).isProblem(429);
        assertThat(paced.header("Retry-After")).contains("30");
        assertThat(paced.header("RateLimit-Policy")).contains("\"login\";q=2;w=60");
    }
}
