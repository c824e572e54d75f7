package dev.spindle.http.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

/**
 * The server's request metrics: {@code http.server.requests} (method, route template, status,
 * outcome, protocol) and {@code spindle.http.requests.active}. Timers are looked up once per route and
 * status, then kept in an array, so recording costs no map lookup or allocation per request.
 */
public final class HttpMetrics {

    private final MeterRegistry registry;
    private final ActiveRequests active = new ActiveRequests();
    private final Counter deadlineExceeded;
    private final Counter lateCompletions;

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("spindle.http.requests.active", active, ActiveRequests::sum)
                .description("Requests being handled right now")
                .register(registry);
        this.deadlineExceeded = Counter.builder("spindle.http.deadline.exceeded")
                .description("Requests answered 503 or 408 because their deadline passed")
                .register(registry);
        this.lateCompletions = Counter.builder("spindle.http.requests.late")
                .description("Handlers that completed after their request's deadline had already been answered")
                .register(registry);
    }

    /** Counts a request whose deadline passed. */
    public void deadlineExceeded() {
        deadlineExceeded.increment();
    }

    /** Counts work that finished after its request was answered at the deadline. */
    public void lateCompletion() {
        lateCompletions.increment();
    }

    /** Counts a request refused for overload, by reason ({@code spindle.http.requests.rejected}). */
    public void rejected(String reason) {
        Counter.builder("spindle.http.requests.rejected").tag("reason", reason)
                .description("Requests refused with 503 because the instance was overloaded or draining")
                .register(registry).increment();
    }

    /** Counts a request in. */
    public void started() {
        active.increment();
    }

    /** Counts a request out. */
    public void finished() {
        active.decrement();
    }

    /** Requests in flight. */
    public long active() {
        return active.sum();
    }

    RouteTimers timers(String method, String route) {
        return new RouteTimers(method, route);
    }

    private static final Duration[] LATENCY_BUCKETS = Stream.of(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
            10_000).map(Duration::ofMillis).toArray(Duration[]::new);

    /** The timers of one method and route, by status. */
    final class RouteTimers {

        private final String method;
        private final String route;
        private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(600);
        private final AtomicReferenceArray<Timer> http2ByStatus = new AtomicReferenceArray<>(600);

        RouteTimers(String method, String route) {
            this.method = method;
            this.route = route;
        }

        /** Records a request answered with {@code status}, over HTTP/2 ({@code protocol=h2}) or HTTP/1.x ({@code h1}). */
        void record(int status, long nanos, boolean http2) {
            AtomicReferenceArray<Timer> timers = http2 ? http2ByStatus : byStatus;
            Timer timer = timers.getPlain(status);
            if (timer == null) {
                timer = Timer.builder("http.server.requests")
                        .description("HTTP requests handled, by method, route template, status, outcome and protocol")
                        .tag("method", method)
                        .tag("route", route)
                        .tag("status", Integer.toString(status))
                        .tag("outcome", Outcome.forStatus(status).name())
                        .tag("protocol", http2 ? "h2" : "h1")
                        // A dozen fixed buckets, so dashboards can show percentiles by route
                        // (histogram_quantile) at a bounded cost per series.
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry);
                timers.setRelease(status, timer);
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
