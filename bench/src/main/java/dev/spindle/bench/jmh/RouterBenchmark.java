package dev.spindle.bench.jmh;

import dev.spindle.bench.BenchContract;
import dev.spindle.core.Config;
import dev.spindle.http.Method;
import dev.spindle.http.Response;
import dev.spindle.http.internal.DefaultHandlers;
import dev.spindle.http.internal.Failures;
import dev.spindle.http.internal.HttpMetrics;
import dev.spindle.http.internal.RouteCollector;
import dev.spindle.http.internal.RouteEntries;
import dev.spindle.http.internal.RouteMatch;
import dev.spindle.http.internal.Router;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spindle's router matching among 10, 100 and 1000 routes, built the way the app builds it
 * ({@link RouteEntries}): {@code /plaintext} (a literal route, one hash lookup),
 * {@code /users/42} (a parameter route, declared last, a walk down the segment tree) and a path
 * that matches nothing (walk, then the 405 check). The time should not grow with the route count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouterBenchmark {

    @Param({"10", "100", "1000"})
    int routes;

    Router router;

    @Setup
    public void setUp() {
        RouteCollector collector = new RouteCollector();
        RouteCollector.Scope app = collector.root();
        Response ok = Response.text("ok");
        app.get("/plaintext", ctx -> ok.completed());
        for (String route : BenchContract.fillerRoutes(routes - 2)) {
            app.get(BenchContract.braces(route), ctx -> ok.completed());
        }
        app.get("/users/{id}", ctx -> ok.completed());
        Config config = Config.builder().build();
        HttpMetrics metrics = new HttpMetrics(new SimpleMeterRegistry());
        router = new RouteEntries(config, metrics, new Failures(Map.of(), metrics))
                .router(collector, DefaultHandlers.fallbacks());
    }

    @Benchmark
    public RouteMatch literal() {
        return router.match(Method.GET, "/plaintext");
    }

    @Benchmark
    public RouteMatch param() {
        return router.match(Method.GET, "/users/42");
    }

    @Benchmark
    public RouteMatch notFound() {
        return router.match(Method.GET, "/api/nothing/here");
    }
}
