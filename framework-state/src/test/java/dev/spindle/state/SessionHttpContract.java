package dev.spindle.state;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.test.RawHttp;
import dev.spindle.test.TestClient;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions end to end over HTTP: a real server, a real client, the store under test. */
abstract class SessionHttpContract {

    private final List<TestServer> servers = new ArrayList<>();
    protected CountingStore store;

    /** Settings that select the store (e.g. {@code redis.url}). */
    protected abstract Map<String, String> storeSettings();

    protected final ManualClock clock = new ManualClock();

    protected TestServer server(String... settings) {
        TestServer.Builder builder = TestServer.builder();
        storeSettings().forEach(builder::set);
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        TestServer server = builder.start(app -> SessionRoutes.install(app, counting -> store = counting, clock));
        servers.add(server);
        return server;
    }

    @AfterEach
    void stopServers() {
        servers.forEach(TestServer::close);
    }

    private static String sidOf(TestResponse response) {
        String setCookie = response.header("Set-Cookie").orElseThrow(() -> new AssertionError("no Set-Cookie: " + response));
        return setCookie.substring("sid=".length(), setCookie.indexOf(';'));
    }

    private static TestResponse withSid(TestServer server, String method, String path, String sid) {
        return server.client().send(server.client().request(path)
                .method(method, java.net.http.HttpRequest.BodyPublishers.noBody()), "Cookie", "sid=" + sid);
    }

    @Test
    void issuesAnHttpOnlyLaxCookieForAStoredSession() {
        TestServer server = server();
        TestResponse response = server.client().post("/s/put/user/ada", "");
        assertThat(response).hasStatus(200);
        String setCookie = response.header("Set-Cookie").orElseThrow();
        // Cookie attribute names are case-insensitive (RFC 6265); Netty writes "HTTPOnly".
        assertThat(setCookie.toLowerCase(java.util.Locale.ROOT)).startsWith("sid=")
                .contains("; httponly", "; samesite=lax", "; path=/").doesNotContain("secure").doesNotContain("max-age");
        assertThat(sidOf(response)).hasSize(43).matches("[A-Za-z0-9_-]+").isEqualTo(response.body());
        assertThat(response).hasHeader("Cache-Control", "no-store").hasHeader("Vary", "Cookie");
    }

    private static String setCookie(TestServer server, String... headers) {
        return server.client().post("/s/put/a/1", "", headers).header("Set-Cookie").orElseThrow();
    }

    // Regression: the cookie lacked Secure in every real deployment (no TLS listener, proxies untrusted).
    @Test
    void theCookieIsSecureExceptForAPlainHttpBrowserOnThisMachine() {
        TestServer auto = server();
        assertThat(setCookie(auto)).doesNotContain("Secure"); // local development: loopback, no proxy
        assertThat(setCookie(auto, "X-Forwarded-For", "203.0.113.9")).contains("Secure"); // a proxy on this machine
        assertThat(setCookie(auto, "X-Forwarded-Proto", "https")).contains("Secure");
        TestServer trusting = server("session.trust-forwarded-proto", "true");
        assertThat(setCookie(trusting, "X-Forwarded-Proto", "https")).contains("Secure");
        assertThat(setCookie(trusting, "X-Forwarded-Proto", "http")).doesNotContain("Secure");
        assertThat(setCookie(server("session.cookie-secure", "always"))).contains("Secure");
        assertThat(setCookie(server("session.cookie-secure", "never"), "X-Forwarded-For", "203.0.113.9"))
                .doesNotContain("Secure");
        assertThat(setCookie(server("session.cookie-name", "__Host-sid"))).startsWith("__Host-sid=").contains("Secure")
                .contains("Path=/").doesNotContain("Domain");
    }

    @Test
    void aHostPrefixedCookieCannotBeMadeInsecure() {
        assertThatThrownBy(() -> SessionOptions.builder().cookieName("__Host-sid")
                .cookieSecurity(SessionOptions.CookieSecurity.NEVER).build())
                .hasMessageContaining("cookieSecurity: NEVER (expected: AUTO or ALWAYS");
    }

    // Regression: a response that set the session cookie could be stored by a shared cache and replayed.
    @Test
    void responsesThatSetOrClearTheCookieAreNeverStoredByASharedCache() {
        TestServer server = server();
        TestResponse cacheable = server.client().post("/s/put-cacheable/a/1", "");
        assertThat(cacheable.headers("Cache-Control")).containsExactly("no-store");
        assertThat(cacheable).hasHeader("Vary", "Cookie");
        String sid = sidOf(cacheable);
        assertThat(withSid(server, "GET", "/s/get/a", sid).header("Cache-Control")).isEmpty(); // no cookie, no change
        TestResponse logout = withSid(server, "POST", "/s/logout", sid);
        assertThat(logout).hasHeader("Cache-Control", "no-store").hasHeader("Vary", "Cookie");
    }

    // Regression: a failed handler's changes were written ("paid" persisted behind a 500).
    @Test
    void aServerErrorWritesNothing() {
        TestServer server = server();
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        assertThat(withSid(server, "POST", "/s/fail-after-put/paid/true", sid)).isProblem(500);
        assertThat(withSid(server, "GET", "/s/get/paid", sid)).hasStatus(404);
        TestResponse fresh = server.client().post("/s/fail-after-put/paid/true", "");
        assertThat(fresh).isProblem(500);
        assertThat(fresh.header("Set-Cookie")).isEmpty();
    }

    // Regression: regenerate() followed by a 500 rotated the id anyway.
    @Test
    void aServerErrorAfterRegenerateKeepsTheOldId() {
        TestServer server = server();
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        TestResponse failed = withSid(server, "POST", "/s/fail-after-login/eve", sid);
        assertThat(failed).isProblem(500);
        assertThat(failed.header("Set-Cookie")).isEmpty();
        assertThat(withSid(server, "GET", "/s/get/user", sid)).hasStatus(200).hasBody("ada");
    }

    @Test
    void aClientErrorStillWritesItsChanges() {
        TestServer server = server();
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        assertThat(withSid(server, "POST", "/s/reject-after-put/attempts/1", sid)).hasStatus(422);
        assertThat(withSid(server, "GET", "/s/get/attempts", sid)).hasStatus(200).hasBody("1");
    }

    @Test
    void logoutIsHonouredEvenWhenTheHandlerFails() {
        TestServer server = server();
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        TestResponse failed = withSid(server, "POST", "/s/logout-then-fail", sid);
        assertThat(failed).isProblem(500);
        assertThat(failed.header("Set-Cookie").orElseThrow()).startsWith("sid=;").contains("Max-Age=0");
        assertThat(withSid(server, "GET", "/s/get/user", sid)).hasStatus(404);
    }

    @Test
    void reservedAttributesCannotBeRemovedNorRead() {
        TestServer server = server();
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        assertThat(withSid(server, "POST", "/s/remove/@created", sid)).hasStatus(400);
        assertThat(withSid(server, "GET", "/s/get/@created", sid)).hasStatus(404);
        assertThat(withSid(server, "GET", "/s/get/user", sid)).hasStatus(200).hasBody("ada");
    }

    // Regression: a value that no longer decoded (a class changed in a rolling deploy) failed the request.
    @Test
    void anAttributeThatNoLongerReadsAsItsTypeIsAbsent() {
        TestServer server = server();
        String sid = sidOf(server.client().post("/s/put/count/not-a-number", ""));
        assertThat(withSid(server, "GET", "/s/get-int/count", sid)).hasStatus(404);
    }

    @Test
    void aTypedGetReadsOneAttributeInOneStep() {
        TestServer server = server();
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        assertThat(withSid(server, "GET", "/s/typed/user", sid)).hasStatus(200).hasBody("ada");
        assertThat(withSid(server, "GET", "/s/typed/theme", sid)).hasStatus(404);
    }

    // Regression: a failed touch turned a successful read into a 503.
    @Test
    void aFailedTouchDoesNotFailARead() {
        TestServer server = server();
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        clock.advance(Duration.ofMinutes(2)); // past the touch interval: this read touches
        store.failSaves = true;
        assertThat(withSid(server, "GET", "/s/get/user", sid)).hasStatus(200).hasBody("ada");
        assertThat(withSid(server, "POST", "/s/put/theme/dark", sid)).isProblem(503); // a real change does fail
    }

    @Test
    void logOutEverywhereEndsEverySessionOfThePrincipal() {
        TestServer server = server();
        String laptop = sidOf(server.client().post("/s/login-as/ada", ""));
        String phone = sidOf(server.client().post("/s/login-as/ada", ""));
        String other = sidOf(server.client().post("/s/login-as/bob", ""));
        assertThat(withSid(server, "POST", "/s/logout-everywhere/ada", phone)).hasStatus(200).hasBody("2");
        assertThat(withSid(server, "GET", "/s/get/user", laptop)).hasStatus(404);
        assertThat(withSid(server, "GET", "/s/get/user", phone)).hasStatus(404);
        assertThat(withSid(server, "GET", "/s/get/user", other)).hasStatus(200).hasBody("bob");
    }

    // Regression: regenerate copied the request's stale snapshot and left both ids valid in between.
    @Test
    void regenerateKeepsWritesMadeMeanwhileAndRetiresTheOldIdAtOnce() {
        TestServer server = server();
        String before = sidOf(server.client().post("/s/put/cart/3", ""));
        SessionRoutes.Gate gate = SessionRoutes.gate();
        CompletableFuture<TestResponse> login = server.client().sendAsync(server.client().request("/s/slow-login/ada")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()), "Cookie", "sid=" + before);
        gate.loaded().join(); // the login has read the session
        assertThat(withSid(server, "POST", "/s/put/theme/dark", before)).hasStatus(200);
        gate.proceed().complete(null);
        String after = sidOf(login.join());
        assertThat(withSid(server, "GET", "/s/get/theme", after)).hasStatus(200).hasBody("dark");
        assertThat(withSid(server, "GET", "/s/get/cart", after)).hasStatus(200).hasBody("3");
        assertThat(withSid(server, "GET", "/s/get/cart", before)).hasStatus(404);
    }

    @Test
    void aRequestThatNeverTouchesItsSessionCostsNoStoreCall() {
        TestServer server = server();
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        int before = store.calls();
        assertThat(withSid(server, "GET", "/s/untouched", sid)).hasStatus(200).hasBody("untouched");
        assertThat(withSid(server, "GET", "/s/untouched", sid).header("Set-Cookie")).isEmpty();
        assertThat(store.calls()).isEqualTo(before);
    }

    @Test
    void aSessionThatIsOnlyReadIsNotWrittenOnEveryRequest() {
        TestServer server = server();
        TestClient browser = server.client().withCookies();
        browser.post("/s/put/user/ada", "");
        int saves = store.saves.get();
        for (int i = 0; i < 10; i++) {
            assertThat(browser.get("/s/get/user")).hasStatus(200).hasBody("ada");
        }
        assertThat(store.saves.get()).isEqualTo(saves);
        assertThat(store.loads.get()).isEqualTo(10);
    }

    @Test
    void aNewSessionWithNothingInItSetsNoCookie() {
        TestServer server = server();
        TestResponse response = server.client().get("/s/get/user");
        assertThat(response).hasStatus(404);
        assertThat(response.header("Set-Cookie")).isEmpty();
        assertThat(store.saves.get()).isZero();
    }

    @Test
    void keepsAttributesAcrossRequests() {
        TestServer server = server();
        TestClient browser = server.client().withCookies();
        browser.post("/s/put/user/ada", "");
        browser.post("/s/put/theme/dark", "");
        assertThat(browser.get("/s/get/user")).hasBody("ada");
        assertThat(browser.get("/s/names")).hasBody("theme,user");
    }

    @Test
    void regenerateIssuesANewIdAndTheOldOneNoLongerWorks() {
        TestServer server = server();
        String before = sidOf(server.client().post("/s/put/cart/3", ""));
        TestResponse login = withSid(server, "POST", "/s/login/ada", before);
        String after = sidOf(login);
        assertThat(after).isNotEqualTo(before).isEqualTo(login.body());
        assertThat(withSid(server, "GET", "/s/get/user", after)).hasStatus(200).hasBody("ada");
        assertThat(withSid(server, "GET", "/s/get/cart", after)).hasStatus(200).hasBody("3");
        assertThat(withSid(server, "GET", "/s/get/cart", before)).hasStatus(404);
    }

    @Test
    void invalidateDeletesTheSessionAndExpiresTheCookie() {
        TestServer server = server();
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        TestResponse logout = withSid(server, "POST", "/s/logout", sid);
        assertThat(logout).hasStatus(204);
        assertThat(logout.header("Set-Cookie").orElseThrow()).startsWith("sid=;").contains("Max-Age=0");
        assertThat(withSid(server, "GET", "/s/get/user", sid)).hasStatus(404);
        assertThat(store.load(sid, dev.spindle.core.Deadline.none()).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void unknownAndMalformedIdsSilentlyStartAFreshSession() {
        TestServer server = server();
        String unknown = dev.spindle.state.internal.SessionIds.next();
        assertThat(withSid(server, "GET", "/s/get/user", unknown)).hasStatus(404);
        assertThat(withSid(server, "GET", "/s/get/user", "not-an-id")).hasStatus(404);
        TestResponse fresh = withSid(server, "POST", "/s/put/user/ada", unknown);
        assertThat(sidOf(fresh)).isNotEqualTo(unknown);
    }

    @Test
    void aTamperedSignedCookieStartsAFreshSession() {
        TestServer server = server("session.signing-keys", "a-very-long-secret-key-1");
        String cookie = sidOf(server.client().post("/s/put/user/ada", ""));
        assertThat(cookie).contains(".");
        try (RawHttp raw = server.raw()) {
            raw.send("GET /s/get/user HTTP/1.1\r\nHost: x\r\nCookie: sid=" + cookie + "\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
            String id = cookie.substring(0, cookie.indexOf('.'));
            String forged = id + "." + cookie.substring(cookie.indexOf('.') + 1).replaceFirst(".", "A");
            String forgedAgain = forged.equals(cookie) ? id + "." + "B" + cookie.substring(cookie.indexOf('.') + 2)
                    : forged;
            raw.send("GET /s/get/user HTTP/1.1\r\nHost: x\r\nCookie: sid=" + forgedAgain + "\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(404);
            raw.send("GET /s/get/user HTTP/1.1\r\nHost: x\r\nCookie: sid=" + id + "\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(404); // the bare id is not enough once signing is on
        }
    }

    // Regression: idle and absolute expiry were tested with sub-second timeouts on the wall clock.
    @Test
    void expiresAfterTheIdleTimeout() {
        TestServer server = server("session.idle-timeout", "30m", "session.touch-interval", "1m");
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        clock.advance(Duration.ofMinutes(30));
        assertThat(withSid(server, "GET", "/s/get/user", sid)).hasStatus(200); // used: the idle clock restarts
        clock.advance(Duration.ofMinutes(30));
        assertThat(withSid(server, "GET", "/s/get/user", sid)).hasStatus(200); // within the touch slack
        clock.advance(Duration.ofMinutes(31).plusMillis(1));
        assertThat(withSid(server, "GET", "/s/get/user", sid)).hasStatus(404);
    }

    @Test
    void expiresAfterTheAbsoluteTimeoutHoweverActive() {
        TestServer server = server("session.idle-timeout", "30m", "session.absolute-timeout", "1h");
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(withSid(server, "GET", "/s/get/user", sid).status()).isEqualTo(i < 2 ? 200 : 404);
        }
    }

    @Test
    void fiftyParallelRequestsWritingDifferentAttributesLoseNothing() {
        TestServer server = server();
        String sid = sidOf(server.client().post("/s/put/seed/0", ""));
        List<CompletableFuture<TestResponse>> writes = IntStream.range(0, 50)
                .mapToObj(i -> server.client().sendAsync(server.client().request("/s/put/a" + i + "/" + i)
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()), "Cookie", "sid=" + sid))
                .toList();
        assertThat(writes).allSatisfy(write -> assertThat(write.join()).hasStatus(200));
        String expected = IntStream.range(0, 50).mapToObj(i -> "a" + i).collect(Collectors.toCollection(
                java.util.TreeSet::new)).stream().collect(Collectors.joining(",")) + ",seed";
        assertThat(withSid(server, "GET", "/s/names", sid)).hasBody(expected);
    }
}
