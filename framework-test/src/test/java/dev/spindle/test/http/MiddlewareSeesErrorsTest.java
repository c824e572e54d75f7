package dev.spindle.test.http;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.HttpException;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Middleware decorates error answers too: a handler's failure reaches it as a problem response. */
class MiddlewareSeesErrorsTest {

    static final class NoSuchThing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchThing(String message) {
            super(message);
        }
    }

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.exception(NoSuchThing.class, (e, ctx) -> Response.problem(Problem.of(404, e.getMessage())));
        app.group("/api", api -> {
            api.use((ctx, next) -> next.handle(ctx).thenApply(response -> response.header("X-Decorated", "yes")));
            api.get("/thrown", ctx -> {
                throw new NoSuchThing("no thing 7");
            });
            api.get("/failed", ctx -> CompletableFuture.failedFuture(HttpException.conflict("taken")));
            api.get("/crashed", ctx -> CompletableFuture.failedFuture(new IllegalStateException("internal detail")));
            api.get("/null", ctx -> CompletableFuture.completedFuture(null));
        });
    });

    @Test
    void aMappedExceptionPassesBackThroughTheMiddleware() {
        assertThat(server.client().get("/api/thrown")).isProblem(404).hasHeader("X-Decorated", "yes")
                .hasDetailContaining("no thing 7");
    }

    @Test
    void aFailedStagePassesBackThroughTheMiddleware() {
        assertThat(server.client().get("/api/failed")).isProblem(409).hasHeader("X-Decorated", "yes");
    }

    @Test
    void anUnexpectedFailureIsA500WithoutItsDetailButStillDecorated() {
        assertThat(server.client().get("/api/crashed")).isProblem(500).hasHeader("X-Decorated", "yes");
        assertThat(server.client().get("/api/crashed").body()).doesNotContain("internal detail");
    }

    @Test
    void aNullResponseIsA500StillDecorated() {
        assertThat(server.client().get("/api/null")).isProblem(500).hasHeader("X-Decorated", "yes");
    }
}
