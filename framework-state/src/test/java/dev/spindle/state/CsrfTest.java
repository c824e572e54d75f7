package dev.spindle.state;

import static dev.spindle.test.SpindleAssertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.TestClient;
import dev.spindle.test.TestServer;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The accepted/refused matrix of both CSRF modes over a real socket, with real cookie sessions. */
class CsrfTest {

    static TestServer server;
    static String self;

    @BeforeAll
    static void start() {
        server = TestServer.start(app -> {
            State state = State.install(app);
            app.use(state.sessions());
            app.group("/app", web -> {
                web.use(Csrf.sessionToken().trustedOrigins("https://admin.example.com").build());
                web.get("/token", ctx -> Csrf.token(ctx).thenApply(Response::text));
                web.post("/transfer", ctx -> Response.text("done").completed());
            });
            app.group("/api", api -> {
                api.use(Csrf.headerOnly("X-Requested-With").build());
                api.post("/items", ctx -> Response.text("created").completed());
                api.get("/items", ctx -> Response.text("list").completed());
            });
        });
        self = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A browser-like client with its own session and token. */
    private static Map.Entry<TestClient, String> browser() {
        TestClient client = server.client().withCookies();
        return Map.entry(client, client.get("/app/token").body());
    }

    private static void assertRefused(dev.spindle.test.TestResponse response, String why) {
        assertThat(response).isProblem(403).hasDetailContaining(why);
    }

    @Test
    void safeMethodsPassWithoutAToken() {
        assertThat(server.client().get("/app/token")).hasStatus(200);
        assertThat(server.client().get("/api/items")).hasStatus(200);
    }

    @Test
    void theSessionsTokenInAHeaderIsAccepted() {
        var browser = browser();
        assertThat(browser.getKey().post("/app/transfer", "{}", "X-CSRF-Token", browser.getValue(), "Origin", self))
                .hasStatus(200).hasBody("done");
        assertThat(browser.getKey().post("/app/transfer", "{}", "X-CSRF-Token", browser.getValue(),
                "Sec-Fetch-Site", "same-origin")).hasStatus(200);
    }

    @Test
    void theTokenStaysTheSameForTheSession() {
        var browser = browser();
        assertThat(browser.getKey().get("/app/token")).hasBody(browser.getValue());
    }

    @Test
    void theTokenInAFormFieldIsAccepted() {
        var browser = browser();
        HttpRequest.Builder form = browser.getKey().request("/app/transfer")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("amount=10&_csrf=" + browser.getValue()));

        assertThat(browser.getKey().send(form, "Origin", self)).hasStatus(200);
    }

    @Test
    void requestsWithoutTheRightTokenAreRefused() {
        var browser = browser();
        var other = browser();

        assertRefused(browser.getKey().post("/app/transfer", "{}", "Origin", self), "carries no token");
        assertRefused(browser.getKey().post("/app/transfer", "{}", "X-CSRF-Token", "guess", "Origin", self),
                "does not match");
        assertRefused(browser.getKey().post("/app/transfer", "{}", "X-CSRF-Token", other.getValue(), "Origin", self),
                "does not match");
        assertRefused(server.client().post("/app/transfer", "{}", "X-CSRF-Token", browser.getValue()),
                "does not match");
    }

    @Test
    void crossSiteRequestsAreRefusedEvenWithTheToken() {
        var browser = browser();
        String token = browser.getValue();

        assertRefused(browser.getKey().post("/app/transfer", "{}", "X-CSRF-Token", token, "Origin", "https://evil.example"),
                "Origin https://evil.example is not this site");
        assertRefused(browser.getKey().post("/app/transfer", "{}", "X-CSRF-Token", token, "Sec-Fetch-Site", "cross-site"),
                "Sec-Fetch-Site is cross-site");
        assertRefused(browser.getKey().post("/app/transfer", "{}", "X-CSRF-Token", token, "Sec-Fetch-Site", "same-site",
                "Origin", self), "Sec-Fetch-Site is same-site");
    }

    @Test
    void aTrustedOriginMaySendUnsafeRequestsWithTheToken() {
        var browser = browser();
        assertThat(browser.getKey().post("/app/transfer", "{}", "X-CSRF-Token", browser.getValue(),
                "Origin", "https://admin.example.com", "Sec-Fetch-Site", "cross-site")).hasStatus(200);
    }

    @Test
    void headerOnlyModeNeedsTheCustomHeaderAndASameSiteOrigin() {
        assertRefused(server.client().post("/api/items", "{}", "Origin", self), "lacks the X-Requested-With header");
        assertThat(server.client().post("/api/items", "{}", "X-Requested-With", "fetch", "Origin", self))
                .hasStatus(200).hasBody("created");
        assertThat(server.client().post("/api/items", "{}", "X-Requested-With", "fetch")).hasStatus(200);
        assertRefused(server.client().post("/api/items", "{}", "X-Requested-With", "fetch",
                "Sec-Fetch-Site", "cross-site"), "cross-site");
    }
}
