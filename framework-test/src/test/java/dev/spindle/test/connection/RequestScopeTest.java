package dev.spindle.test.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.spindle.core.LoopMonitor;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The per-request scope: cancellation that reaches the handler's work behind middleware, and context after awaits. */
class RequestScopeTest {

    private static final RouteOptions SHORT = RouteOptions.builder().deadline(Duration.ofMillis(300)).build();
    private static final AtomicBoolean onCancelRan = new AtomicBoolean();
    private static final AtomicBoolean cancelledSeen = new AtomicBoolean();
    private static final AtomicBoolean continuationRan = new AtomicBoolean();
    private static final AtomicReference<CompletionStage<Void>> delayed = new AtomicReference<>();
    private static final AtomicReference<CompletableFuture<Response>> shared = new AtomicReference<>();

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.use((ctx, next) -> next.handle(ctx).thenApply(response -> response.header("X-Wrapped", "yes")));
        app.get("/slow", SHORT, ctx -> {
            ctx.onCancel(() -> {
                onCancelRan.set(true);
                cancelledSeen.set(ctx.cancelled());
            });
            CompletionStage<Void> delay = ctx.delay(Duration.ofSeconds(30));
            delayed.set(delay);
            return delay.thenApply(done -> {
                continuationRan.set(true);
                return Response.text("too late");
            });
        });
        app.get("/shared", SHORT, ctx -> shared.get());
        app.get("/mdc", ctx -> ctx.delay(Duration.ofMillis(5))
                .thenApply(done -> MDC.get("requestId"))
                .thenApplyAsync(first -> Response.text(first + "," + MDC.get("requestId")), ctx.executor()));
        app.get("/blocks-after-await", ctx -> ctx.delay(Duration.ofMillis(5)).thenApply(done -> {
            burnCpu(Duration.ofMillis(400));
            return Response.text("done");
        }));
    }).set("loop-monitor.startup-grace", "0ms").set("loop-monitor.blocked-threshold", "100ms");

    @BeforeEach
    void newShared() {
        shared.set(new CompletableFuture<>());
    }

    @AfterEach
    void releaseShared() {
        shared.get().complete(Response.text("released"));
    }

    // Regression: the deadline cancelled only the outermost stage (the middleware's), which never reaches the
    // handler's own stages: its ctx.delay timer and continuation went on after the 503.
    @Test
    void theDeadlineCancelsTheHandlersWorkBehindMiddleware() {
        TestResponse response = server.client().get("/slow");

        assertThat(response.status()).isEqualTo(503);
        await().untilTrue(onCancelRan);
        assertThat(cancelledSeen).isTrue();
        await().until(() -> delayed.get().toCompletableFuture().isCompletedExceptionally());
        assertThat(continuationRan).isFalse();
    }

    // Regression: the deadline cancelled the handler's future itself, failing it for every other caller sharing it.
    @Test
    void aSharedFutureReturnedByAHandlerIsNotCancelledForItsOtherWaiters() {
        assertThat(server.client().get("/shared").status()).isEqualTo(503);

        assertThat(shared.get()).isNotCancelled().isNotDone();
    }

    @Test
    void continuationsOnTheLoopCarryTheRequestIdInTheMdc() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/mdc")).header("X-Request-Id", "scope-test-1")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("scope-test-1,scope-test-1");
    }

    @Test
    void theBlockedLoopReportNamesTheRouteEvenAfterAnAwait() {
        Logger logger = (Logger) LoggerFactory.getLogger(LoopMonitor.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            assertThat(server.client().get("/blocks-after-await").status()).isEqualTo(200);

            await().until(() -> snapshot(appender).stream()
                    .anyMatch(event -> event.getFormattedMessage().contains("/blocks-after-await")));
        } finally {
            logger.detachAppender(appender);
        }
    }

    private static java.util.List<ILoggingEvent> snapshot(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return java.util.List.copyOf(appender.list);
        }
    }

    private static void burnCpu(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        long spin = 0;
        while (System.nanoTime() - end < 0) {
            spin++;
        }
        if (spin == 42) {
            System.out.print("");
        }
    }
}
