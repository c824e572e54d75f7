package dev.spindle.sample;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestClient;
import dev.spindle.test.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Login starts a session (a fresh id), /me reads it, logout ends it: in memory here, in Redis with REDIS_URL. */
class SessionsTest {

    private static final String KEY = "test-key";

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(SampleApp::install)
            .set("sample.api-key", KEY)
            .set("sample.password-iterations", "1000");

    @Test
    void aLoginIsRememberedUntilLogout() {
        TestClient browser = server.client().withCookies();
        assertThat(browser.post("/api/v1/users",
                "{\"name\":\"Grace\",\"email\":\"grace@example.com\",\"password\":\"hopper hopper\"}",
                "X-Api-Key", KEY)).hasStatus(201);
        assertThat(browser.get("/api/v1/me")).isProblem(401);

        TestResponse login = browser.post("/api/v1/login",
                "{\"email\":\"grace@example.com\",\"password\":\"hopper hopper\"}");

        assertThat(login).hasStatus(200);
        assertThat(login.header("Set-Cookie")).hasValueSatisfying(cookie ->
                assertThat(cookie.toLowerCase()).contains("httponly").contains("samesite=lax"));
        assertThat(browser.get("/api/v1/me").json().get("name").asString()).isEqualTo("Grace");
        String token = login.json().get("csrfToken").asString();
        assertThat(browser.get("/api/v1/csrf").json().get("csrfToken").asString()).isEqualTo(token);
        assertThat(browser.post("/api/v1/logout", "")).isProblem(403);
        assertThat(browser.post("/api/v1/logout", "", "X-CSRF-Token", token, "Origin", "https://evil.example"))
                .isProblem(403);
        assertThat(browser.post("/api/v1/logout", "", "X-CSRF-Token", token)).hasStatus(204);
        assertThat(browser.get("/api/v1/me")).isProblem(401);
    }

    @Test
    void aWrongPasswordStartsNoSession() {
        TestClient browser = server.client().withCookies();

        assertThat(browser.post("/api/v1/login", "{\"email\":\"nobody@example.com\",\"password\":\"whatever1\"}"))
                .isProblem(401);
        assertThat(browser.get("/api/v1/me")).isProblem(401);
    }

    @Test
    void loggingOutEverywhereEndsEverySessionOfTheUserAndNoOneElses() {
        TestClient admin = server.client();
        assertThat(admin.post("/api/v1/users", "{\"name\":\"Linus\",\"email\":\"linus@example.com\",\"password\":\"penguin penguin\"}",
                "X-Api-Key", KEY)).hasStatus(201);
        assertThat(admin.post("/api/v1/users", "{\"name\":\"Other\",\"email\":\"other@example.com\",\"password\":\"penguin penguin\"}",
                "X-Api-Key", KEY)).hasStatus(201);
        TestClient laptop = server.client().withCookies();
        TestClient phone = server.client().withCookies();
        TestClient someoneElse = server.client().withCookies();
        String token = laptop.post("/api/v1/login", "{\"email\":\"linus@example.com\",\"password\":\"penguin penguin\"}")
                .json().get("csrfToken").asString();
        assertThat(phone.post("/api/v1/login", "{\"email\":\"linus@example.com\",\"password\":\"penguin penguin\"}"))
                .hasStatus(200);
        assertThat(someoneElse.post("/api/v1/login", "{\"email\":\"other@example.com\",\"password\":\"penguin penguin\"}"))
                .hasStatus(200);
        assertThat(phone.get("/api/v1/me")).hasStatus(200);

        assertThat(laptop.post("/api/v1/logout-everywhere", "")).as("without the CSRF token").isProblem(403);
        TestResponse ended = laptop.post("/api/v1/logout-everywhere", "", "X-CSRF-Token", token);

        assertThat(ended).hasStatus(200);
        assertThat(ended.json().get("sessionsEnded").asInt()).isEqualTo(2);
        assertThat(laptop.get("/api/v1/me")).isProblem(401);
        assertThat(phone.get("/api/v1/me")).isProblem(401);
        assertThat(someoneElse.get("/api/v1/me")).hasStatus(200);
    }
}
