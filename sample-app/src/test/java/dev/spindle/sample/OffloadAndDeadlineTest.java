package dev.spindle.sample;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OffloadAndDeadlineTest {

    // One event loop and a slow hash: if hashing ran on the loop, nothing else could be answered meanwhile.
    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(SampleApp::install)
            .set("event-loops", "1")
            .set("sample.password-iterations", "300000")
            .set("http.request-deadline", "30s");

    @RegisterExtension
    static final SpindleExtension shortDeadline = SpindleExtension.of(SampleApp::install)
            .set("http.request-deadline", "200ms");

    @Test
    void keepsAnsweringOnTheOnlyLoopWhileAPasswordIsHashed() {
        CompletableFuture<TestResponse> creating = server.client().sendAsync(server.client().request("/api/v1/users")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"Slow\",\"email\":\"slow@example.com\",\"password\":\"correct horse\"}")));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.app().offloadPool().running() == 1);
        assertThat(server.client().get("/hello/meanwhile")).hasStatus(200);
        assertThat(creating).isNotDone();
        assertThat(creating.join()).hasStatus(201);
    }

    @Test
    void answersARequestPastItsDeadlineWith503() {
        assertThat(shortDeadline.client().get("/api/v1/delay/5000")).isProblem(503).hasDetailContaining("deadline");
    }
}
