package dev.spindle.test.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.HttpException;
import dev.spindle.http.Middleware;
import dev.spindle.http.OverflowPolicy;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.SseEvent;
import dev.spindle.http.SseOptions;
import dev.spindle.http.SseSink;
import dev.spindle.test.SpindleExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server-Sent Events: the wire format (id, event, retry, multi-line data), Last-Event-ID for replay,
 * heartbeats, the end of a stream, middleware before it, and a slow client held to its bound.
 */
class SseEndpointTest {

    private static final int BOUND = 32 << 10;
    private static final Map<String, List<SseSink>> sinks = new ConcurrentHashMap<>();
    private static final AtomicInteger closed = new AtomicInteger();

    private static final Middleware AUTH = (ctx, next) -> {
        ctx.header("Authorization").orElseThrow(() -> new HttpException(401, "Sign in first"));
        return next.handle(ctx);
    };

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.sse("/story", SseOptions.builder().retry(Duration.ofSeconds(2)).build(), (ctx, sink) -> {
            sink.send(SseEvent.of("once upon\na time").id("1").event("chapter"));
            sink.comment("between the lines");
            sink.send("the end");
            sink.close();
        });
        app.sse("/replay", (ctx, sink) -> {
            int from = sink.lastEventId().map(Integer::parseInt).orElse(0);
            for (int id = from + 1; id <= from + 3; id++) {
                sink.send(SseEvent.of("event " + id).id(Integer.toString(id)));
            }
            sink.close();
        });
        app.sse("/quiet", SseOptions.builder().heartbeat(Duration.ofMillis(50)).build(), (ctx, sink) -> keep("/quiet", sink));
        app.sse("/private", SseOptions.builder().route(RouteOptions.builder().use(AUTH).build()).build(),
                (ctx, sink) -> sink.send("secret"));
        app.sse("/latest", SseOptions.builder().maxQueuedBytes(BOUND).overflow(OverflowPolicy.DROP_OLDEST)
                .heartbeat(Duration.ZERO).build(), (ctx, sink) -> keep("/latest", sink));
        // Middleware that answers with something else than the stream: the stream is never written.
        Middleware replace = (ctx, next) -> next.handle(ctx).thenApply(response -> dev.spindle.http.Response.empty(204));
        app.sse("/replaced", SseOptions.builder().route(RouteOptions.builder().use(replace)
                .deadline(Duration.ofSeconds(1)).build()).build(), (ctx, sink) -> keep("/replaced", sink));
        app.sse("/strict", SseOptions.builder().maxQueuedBytes(BOUND).heartbeat(Duration.ZERO).build(),
                (ctx, sink) -> keep("/strict", sink));
    }).set("event-loops", "1");

    private static void keep(String path, SseSink sink) {
        sinks.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(sink);
        sink.onClose(closed::incrementAndGet);
    }

    @Test
    void writesIdEventRetryAndMultiLineDataThenEndsTheResponseButNotTheConnection() throws IOException {
        try (RawSse sse = RawSse.connect(server.port(), "/story")) {
            assertThat(sse.status).isEqualTo(200);
            assertThat(sse.headers.get("content-type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(sse.headers.get("cache-control")).isEqualTo("no-cache");
            assertThat(sse.headers.get("x-accel-buffering")).isEqualTo("no");
            assertThat(sse.next().retry()).isEqualTo("2000");
            RawSse.Event chapter = sse.next();
            assertThat(chapter.id()).isEqualTo("1");
            assertThat(chapter.event()).isEqualTo("chapter");
            assertThat(chapter.data()).isEqualTo("once upon\na time");
            assertThat(sse.next().comments()).containsExactly("between the lines");
            assertThat(sse.next().data()).isEqualTo("the end");
            assertThat(sse.ends()).isTrue();
            assertThat(sse.sendAnother("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")).contains("200");
        }
    }

    @Test
    void theLastEventIdIsHandedToTheEndpointToReplayFrom() throws IOException {
        try (RawSse sse = RawSse.connect(server.port(), "/replay", "Last-Event-ID: 41\r\n")) {
            assertThat(sse.nextData().data()).isEqualTo("event 42");
            assertThat(sse.nextData().id()).isEqualTo("43");
        }
        try (RawSse sse = RawSse.connect(server.port(), "/replay")) {
            assertThat(sse.nextData().data()).isEqualTo("event 1");
        }
    }

    @Test
    void aQuietStreamGetsHeartbeatCommentsAndSendsFromAnyThread() throws IOException {
        try (RawSse sse = RawSse.connect(server.port(), "/quiet")) {
            for (int i = 0; i < 3; i++) {
                RawSse.Event heartbeat = sse.next();
                assertThat(heartbeat.data()).isNull();
                assertThat(heartbeat.comments()).hasSize(1);
            }
            await().until(() -> sinks.getOrDefault("/quiet", List.of()).size() == 1);
            new Thread(() -> sinks.get("/quiet").get(0).send("from elsewhere")).start();
            assertThat(sse.nextData().data()).isEqualTo("from elsewhere");
        }
        // The client left: the endpoint's close action runs and the stream is no longer counted.
        await().untilAsserted(() -> {
            assertThat(sinks.get("/quiet").get(0).isOpen()).isFalse();
            assertThat(gauge("/quiet")).isZero();
            assertThat(closes("/quiet", "client")).isEqualTo(1);
        });
    }

    // A stream that middleware replaced by another answer was never closed: the endpoint's feed leaked.
    @Test
    void aStreamMiddlewareReplacedIsClosedOnceItsRequestsDeadlinePassed() throws IOException {
        try (RawSse sse = RawSse.connect(server.port(), "/replaced")) {
            assertThat(sse.status).isEqualTo(204);
        }
        await().until(() -> sinks.getOrDefault("/replaced", List.of()).size() == 1);
        SseSink sink = sinks.get("/replaced").get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> !sink.isOpen());
    }

    @Test
    void theRoutesMiddlewareRunsFirst() throws IOException {
        try (RawSse sse = RawSse.connect(server.port(), "/private")) {
            assertThat(sse.status).isEqualTo(401);
        }
        try (RawSse sse = RawSse.connect(server.port(), "/private", "Authorization: Bearer x\r\n")) {
            assertThat(sse.nextData().data()).isEqualTo("secret");
        }
    }

    @Test
    void aSlowClientUnderDropOldestStaysWithinItsBound() throws IOException {
        try (Socket slow = SlowClients.stalledSse(server.port(), "/latest")) {
            assertThat(slow.isConnected()).isTrue();
            await().until(() -> sinks.getOrDefault("/latest", List.of()).size() == 1);
            SseSink sink = sinks.get("/latest").get(0);
            String event = "x".repeat(1000);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                sink.executor().execute(() -> {
                    for (int i = 0; i < 256; i++) {
                        sink.send(event);
                    }
                });
                return sink.dropped() > 1000;
            });
            assertThat(sink.isOpen()).isTrue();
            await().untilAsserted(() -> assertThat(server.app().meterRegistry().find("spindle.sse.dropped")
                    .tag("route", "/latest").counter()).extracting(Counter::count)
                    .isEqualTo((double) sink.dropped()));
        }
    }

    @Test
    void aSlowClientUnderAClosingPolicyHasItsStreamEnded() throws IOException {
        try (Socket slow = SlowClients.stalledSse(server.port(), "/strict")) {
            assertThat(slow.isConnected()).isTrue();
            await().until(() -> sinks.getOrDefault("/strict", List.of()).size() == 1);
            SseSink sink = sinks.get("/strict").get(0);
            String event = "x".repeat(1000);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                sink.executor().execute(() -> {
                    for (int i = 0; i < 256; i++) {
                        sink.send(event);
                    }
                });
                return !sink.isOpen();
            });
            await().untilAsserted(() -> assertThat(closes("/strict", "overflow")).isEqualTo(1));
        }
    }

    private static double gauge(String route) {
        Gauge gauge = server.app().meterRegistry().find("spindle.sse.streams").tag("route", route).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private static double closes(String route, String reason) {
        Counter counter = server.app().meterRegistry().find("spindle.sse.closes").tags("route", route, "reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
