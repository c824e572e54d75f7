package dev.spindle.test.http;

import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.Parameter;
import dev.spindle.test.TestClient;
import dev.spindle.test.Protocol;
import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.spindle.http.HttpException;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@ParameterizedClass
@EnumSource(Protocol.class)
class FailureTest {

    static class NoSuchThing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchThing(String message) {
            super(message);
        }
    }

    static final class NoSuchWidget extends NoSuchThing {
        private static final long serialVersionUID = 1L;

        NoSuchWidget(String message) {
            super(message);
        }
    }

    static final class Unmappable extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static final String SECRET = "db password is hunter2";

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/throws", ctx -> {
            throw new IllegalStateException(SECRET);
        });
        app.get("/throws-checked", ctx -> {
            throw new IOException(SECRET);
        });
        app.get("/failed-future", ctx -> CompletableFuture.failedFuture(new IllegalStateException(SECRET)));
        app.get("/fails-later", ctx -> CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException(SECRET);
        }));
        app.get("/null-stage", ctx -> null);
        app.get("/null-response", ctx -> CompletableFuture.completedFuture(null));
        app.get("/cancelled", ctx -> {
            CompletableFuture<Response> stage = new CompletableFuture<>();
            stage.cancel(true);
            return stage;
        });
        app.get("/http-exception", ctx -> {
            throw HttpException.conflict("Version 3 is stale");
        });
        app.get("/http-exception-in-stage", ctx -> Response.text("x").completed().thenApply(r -> {
            throw HttpException.notFound("Gone fishing");
        }));
        app.get("/unavailable", ctx -> {
            throw HttpException.unavailable("Try later", Duration.ofSeconds(7));
        });
        app.get("/mapped", ctx -> {
            throw new NoSuchThing("No thing 5");
        });
        app.get("/mapped-subclass", ctx -> CompletableFuture.failedFuture(new NoSuchWidget("No widget 6")));
        app.get("/mapper-throws", ctx -> {
            throw new Unmappable();
        });
        app.exception(NoSuchThing.class, (e, ctx) -> Response.problem(Problem.of(404, e.getMessage()))
                .header("X-Mapped-By", "NoSuchThing"));
        app.exception(Unmappable.class, (e, ctx) -> {
            throw new IllegalStateException(SECRET);
        });
    });

    @Parameter
    Protocol protocol;

    /** A client over the protocol of this run: each test runs over HTTP/1.1, h2c and h2 (TLS). */
    private TestClient client() {
        return server.client(protocol);
    }

    @Test
    void thrownExceptionIsA500ProblemWithoutTheCause() {
        try (LogCapture log = LogCapture.of("dev.spindle.http")) {
            TestResponse response = client().get("/throws");

            assertThat(response).isProblem(500).hasDetailContaining("request id");
            assertThat(response.body()).doesNotContain(SECRET, "IllegalStateException");
            String requestId = response.header("X-Request-Id").orElseThrow();
            await().untilAsserted(() -> assertThat(log.containing("GET /throws failed")).singleElement()
                    .satisfies(event -> {
                        assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                        assertThat(event.getMDCPropertyMap()).containsEntry("requestId", requestId);
                        assertThat(event.getThrowableProxy().getMessage()).isEqualTo(SECRET);
                    }));
        }
    }

    @Test
    void thrownCheckedExceptionIsA500Problem() {
        TestResponse response = client().get("/throws-checked");

        assertThat(response).isProblem(500);
        assertThat(response.body()).doesNotContain(SECRET);
    }

    @Test
    void failedFutureIsA500Problem() {
        assertThat(client().get("/failed-future")).isProblem(500);
        assertThat(client().get("/fails-later")).isProblem(500);
    }

    @Test
    void nullInsteadOfAStageIsA500Problem() {
        assertThat(client().get("/null-stage")).isProblem(500);
    }

    @Test
    void stageCompletedWithNullIsA500Problem() {
        try (LogCapture log = LogCapture.of("dev.spindle.http")) {
            assertThat(client().get("/null-response")).isProblem(500);
            await().untilAsserted(() -> assertThat(log.containing("null response")).isNotEmpty());
        }
    }

    @Test
    void cancelledFutureIsA503Problem() {
        assertThat(client().get("/cancelled")).isProblem(503).hasDetailContaining("cancelled");
    }

    @Test
    void httpExceptionChoosesStatusAndDetail() {
        assertThat(client().get("/http-exception")).isProblem(409).hasDetailContaining("Version 3 is stale");
        assertThat(client().get("/http-exception-in-stage")).isProblem(404).hasDetailContaining("Gone fishing");
    }

    @Test
    void unavailableCarriesRetryAfter() {
        assertThat(client().get("/unavailable")).isProblem(503).hasHeader("Retry-After", "7");
    }

    @Test
    void customMapperAnswersItsException() {
        assertThat(client().get("/mapped")).isProblem(404).hasDetailContaining("No thing 5")
                .hasHeader("X-Mapped-By", "NoSuchThing");
    }

    @Test
    void mapperOfASuperclassAnswersASubclassFromAFailedStage() {
        assertThat(client().get("/mapped-subclass")).isProblem(404).hasDetailContaining("No widget 6");
    }

    @Test
    void mapperThatThrowsIsA500Problem() {
        try (LogCapture log = LogCapture.of("dev.spindle.http")) {
            TestResponse response = client().get("/mapper-throws");

            assertThat(response).isProblem(500);
            assertThat(response.body()).doesNotContain(SECRET);
            await().untilAsserted(() -> assertThat(log.containing("Exception mapper")).isNotEmpty());
        }
    }

    @Test
    void problemCarriesTheRequestPathAsInstance() {
        TestResponse response = client().get("/throws?x=1");

        assertThat(response).isProblem(500);
        assertThat(response.problem().instance()).isEqualTo("/throws");
    }
}
