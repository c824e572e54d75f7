package dev.spindle.sample;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reputation lookup: a slow upstream behind a cache, bounded by the route's deadline. */
class ReputationTest {

    private static String createUser(SpindleExtension server, String email) {
        TestResponse created = server.client().post("/api/v1/users",
                "{\"name\":\"Rep\",\"email\":\"" + email + "\",\"password\":\"correct horse\"}");
        assertThat(created).hasStatus(201);
        return created.json().get("id").asString();
    }

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(SampleApp::install)
            .set("sample.password-iterations", "1000");

    // 3 s: always past the route's 2 s deadline, always within the lookup's own 5 s.
    @RegisterExtension
    static final SpindleExtension slowUpstream = SpindleExtension.of(SampleApp::install)
            .set("sample.password-iterations", "1000")
            .set("sample.reputation-delay", "3s");

    @RegisterExtension
    static final SpindleExtension upstreamDown = SpindleExtension.of(SampleApp::install)
            .set("sample.password-iterations", "1000")
            .set("sample.reputation-url", "http://127.0.0.1:1/reputation");

    @Test
    void theFirstLookupAsksTheUpstreamAndTheNextOnesHitTheCache() {
        // A first lookup for someone else warms the outbound client, so the one measured below is
        // not the JVM's first (which may outlive the 2 s deadline on a busy machine).
        String warmUp = createUser(server, "rep-warm-up@example.com");
        await("a first lookup").atMost(Duration.ofSeconds(60)).until(() ->
                server.client().get("/api/v1/users/" + warmUp + "/reputation").status() == 200);
        String id = createUser(server, "rep-1@example.com");

        TestResponse first = server.client().get("/api/v1/users/" + id + "/reputation");
        TestResponse second = server.client().get("/api/v1/users/" + id + "/reputation");

        assertThat(first).hasStatus(200).hasHeader("X-Cache", "miss");
        assertThat(first.json().get("userId").asString()).isEqualTo(id);
        assertThat(first.json().get("score").asInt()).isBetween(0, 100);
        assertThat(second).hasStatus(200).hasHeader("X-Cache", "hit");
        assertThat(second.json().get("checkedAt").asString()).isEqualTo(first.json().get("checkedAt").asString());
    }

    @Test
    void anUnknownUserIsA404WithoutAnUpstreamCall() {
        assertThat(server.client().get("/api/v1/users/nobody/reputation")).isProblem(404);
    }

    @Test
    void theCallerGetsA503AtItsDeadlineAndTheLookupStillFillsTheCache() {
        String id = createUser(slowUpstream, "rep-slow@example.com");

        assertThat(slowUpstream.client().get("/api/v1/users/" + id + "/reputation")).isProblem(503);

        // The lookup belonged to no caller: it finished and the next caller finds its answer.
        await("the abandoned lookup's answer in the cache").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(slowUpstream.client().get("/api/v1/users/" + id + "/reputation"))
                        .hasStatus(200).hasHeader("X-Cache", "hit"));
    }

    @Test
    void answersABadGatewayProblemAndCachesNothing() {
        String id = createUser(upstreamDown, "rep-down@example.com");

        assertThat(upstreamDown.client().get("/api/v1/users/" + id + "/reputation")).isProblem(502);
        assertThat(upstreamDown.client().get("/api/v1/users/" + id + "/reputation")).isProblem(502);
    }
}
