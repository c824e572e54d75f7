package dev.spindle.state;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    protected TestServer server(String... settings) {
        TestServer.Builder builder = TestServer.builder();
        storeSettings().forEach(builder::set);
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        TestServer server = builder.start(app -> SessionRoutes.install(app, counting -> store = counting));
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
    }

    @Test
    void marksTheCookieSecureWhenConfiguredOrWhenATrustedProxySaysHttps() {
        TestServer always = server("session.cookie-secure", "always");
        assertThat(always.client().post("/s/put/a/1", "").header("Set-Cookie").orElseThrow()).contains("Secure");
        TestServer trusting = server("session.trust-forwarded-proto", "true");
        assertThat(trusting.client().post("/s/put/a/1", "", "X-Forwarded-Proto", "https").header("Set-Cookie")
                .orElseThrow()).contains("Secure");
        TestServer untrusting = server();
        assertThat(untrusting.client().post("/s/put/a/1", "", "X-Forwarded-Proto", "https").header("Set-Cookie")
                .orElseThrow()).doesNotContain("Secure");
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

    @Test
    void expiresAfterTheIdleTimeout() {
        TestServer server = server("session.idle-timeout", "600ms");
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        assertThat(withSid(server, "GET", "/s/get/user", sid)).hasStatus(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> store.load(sid, dev.spindle.core.Deadline.none()).toCompletableFuture().join().isEmpty());
        assertThat(withSid(server, "GET", "/s/get/user", sid)).hasStatus(404);
    }

    @Test
    void expiresAfterTheAbsoluteTimeoutHoweverActive() {
        TestServer server = server("session.absolute-timeout", "800ms");
        String sid = sidOf(server.client().post("/s/put/user/ada", ""));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> withSid(server, "GET", "/s/get/user", sid).status() == 404);
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
