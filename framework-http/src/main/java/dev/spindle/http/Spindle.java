package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Config;
import dev.spindle.core.CoreSettings;
import dev.spindle.core.EventLoops;
import dev.spindle.core.LoopMonitor;
import dev.spindle.core.Metrics;
import dev.spindle.core.Signals;
import dev.spindle.core.Transport;
import dev.spindle.core.WorkerPool;
import dev.spindle.http.internal.HealthChecks;
import dev.spindle.http.internal.HttpServer;
import dev.spindle.http.internal.h2.Http2Connections;
import dev.spindle.http.internal.RouteCollector;
import dev.spindle.http.internal.ServerContext;
import dev.spindle.http.internal.tls.ServerTls;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Spindle application: routes with future-returning handlers on Netty event loops, one per
 * core, with metrics, health endpoints and graceful shutdown built in.
 *
 * <pre>{@code
 * Spindle app = Spindle.create();
 * app.get("/hello/{name}", ctx -> Response.text("Hello " + ctx.pathParam("name")).completed());
 * app.post("/users", ctx -> ctx.bodyAs(NewUser.class).thenCompose(users::create).thenApply(Response::json));
 * app.start();
 * }</pre>
 *
 * <p>Declare routes, middleware, mappers and checks before {@link #start()}; the route table is
 * compiled once at start and read-only afterwards.
 */
public final class Spindle implements Routes {

    /** Resolved on first use, so that logging initialises on a start-up thread instead of blocking create(). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Spindle.class);
    }

    private enum State { NEW, STARTED, STOPPING, STOPPED }

    private final Config config;
    private final Metrics metrics;
    private final WorkerPool offload;
    private final WorkerPool blocking;
    private final RouteCollector routes = new RouteCollector();
    private final Map<Class<? extends Throwable>, ExceptionMapper<? extends Throwable>> mappers = new LinkedHashMap<>();
    private final HealthChecks health = new HealthChecks();
    private final List<AutoCloseable> closeOnStop = new ArrayList<>();
    private final CompletableFuture<ObjectMapper> defaultJson;
    private ObjectMapper json;
    private volatile State state = State.NEW;
    /** Set when a stop begins: readiness fails from then on, during the pre-stop delay too. */
    private volatile boolean stopping;
    private volatile EventLoops loops;
    private LoopMonitor loopMonitor;
    private HttpServer http;
    private ServerContext server;
    private ServerTls tls;
    private InetSocketAddress address;

    private Spindle(Config config) {
        this.config = requireNonNull(config, "config");
        // Start-up loads thousands of classes; these independent parts load in parallel with the
        // app's own set-up, each on a short-lived thread, and start() joins them.
        Executor parallel = task -> {
            Thread thread = new Thread(task, "spindle-init");
            thread.setDaemon(true);
            thread.start();
        };
        CompletableFuture.runAsync(LoggerFactory::getILoggerFactory, parallel);
        this.defaultJson = CompletableFuture.supplyAsync(Spindle::defaultJson, parallel);
        CompletableFuture.runAsync(() -> Transport.select(config.get(CoreSettings.TRANSPORT)), parallel);
        this.metrics = Metrics.prometheus(parallel);
        int offloadThreads = config.get(CoreSettings.OFFLOAD_THREADS);
        this.offload = WorkerPool.create("offload",
                offloadThreads == 0 ? Runtime.getRuntime().availableProcessors() : offloadThreads,
                config.get(CoreSettings.OFFLOAD_QUEUE), metrics.registry());
        this.blocking = WorkerPool.create("blocking", config.get(CoreSettings.BLOCKING_THREADS),
                config.get(CoreSettings.BLOCKING_QUEUE), metrics.registry());
    }

    /** Jackson's defaults, with its serializer machinery warmed up so the first request does not pay for it. */
    private static ObjectMapper defaultJson() {
        JsonMapper mapper = JsonMapper.builder().build();
        mapper.writeValueAsBytes(Map.of("warm", List.of(1, "up")));
        return mapper;
    }

    /** An app configured from defaults, {@code spindle.properties}, the environment and system properties. */
    public static Spindle create() {
        return new Spindle(Config.load());
    }

    /** An app with the given configuration. */
    public static Spindle create(Config config) {
        return new Spindle(config);
    }

    @Override
    public Routes route(Method method, String template, RouteOptions options, Handler handler) {
        checkNotStarted();
        routes.root().route(method, template, options, handler);
        return this;
    }

    @Override
    public Routes use(Middleware middleware) {
        checkNotStarted();
        routes.root().use(middleware);
        return this;
    }

    @Override
    public Routes group(String prefix, RouteOptions options, Consumer<Routes> group) {
        checkNotStarted();
        routes.root().group(prefix, options, group);
        return this;
    }

    /** Maps exceptions of {@code type} (and subtypes without a closer mapper) to responses. */
    public <E extends Throwable> Spindle exception(Class<E> type, ExceptionMapper<? super E> mapper) {
        checkNotStarted();
        mappers.put(requireNonNull(type, "type"), requireNonNull(mapper, "mapper"));
        return this;
    }

    /** Adds a readiness check, reported under {@code name} by the readiness endpoint. */
    public Spindle healthCheck(String name, HealthCheck check) {
        checkNotStarted();
        health.add(name, check);
        return this;
    }

    /**
     * Adds a check to the health group {@code group}, served beside readiness (at
     * {@code /health/<group>} by default) and not part of it: for a dependency whose outage should
     * fail the requests that need it, not take the instance out of the load balancer.
     */
    public Spindle healthCheck(String group, String name, HealthCheck check) {
        checkNotStarted();
        health.add(group, name, check);
        return this;
    }

    /** The Jackson mapper for JSON bodies and responses: the one set with {@link #json(ObjectMapper)}, or the default. */
    public ObjectMapper json() {
        ObjectMapper set = json;
        return set != null ? set : defaultJson.join();
    }

    /** Replaces the Jackson mapper used for JSON bodies and responses. */
    public Spindle json(ObjectMapper mapper) {
        checkNotStarted();
        this.json = requireNonNull(mapper, "mapper");
        return this;
    }

    /** Closes {@code resource} during shutdown, after requests have drained, in reverse order of registration. */
    public Spindle closeOnStop(AutoCloseable resource) {
        synchronized (closeOnStop) {
            closeOnStop.add(requireNonNull(resource, "resource"));
        }
        return this;
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** The metrics registry shared by every module of this app. */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** The CPU offload pool (also reachable per request as {@link Context#offload}). */
    public WorkerPool offloadPool() {
        return offload;
    }

    /** The blocking-I/O pool (also reachable per request as {@link Context#blocking}). */
    public WorkerPool blockingPool() {
        return blocking;
    }

    /** The event loops; available once started. */
    public EventLoops eventLoops() {
        if (loops == null) {
            throw new IllegalStateException("The event loops exist once the app has started");
        }
        return loops;
    }

    /** Binds the listener and starts serving; SIGTERM then drains and exits 0 unless disabled. */
    public synchronized Spindle start() {
        checkNotStarted();
        long startNanos = System.nanoTime();
        health.declare(routes.root(), config, metrics, this::isDraining);
        Set<Meter.Id> metersBefore = metrics.frameworkMeters();
        try {
            server = ServerContext.assemble(config, routes, mappers, json != null ? json : defaultJson.join(),
                    metrics.registry(), offload, blocking);
            tls = ServerTls.create(config, metrics.registry()).orElse(null);
            loops = EventLoops.create(config);
            loopMonitor = LoopMonitor.start(loops, metrics.registry(), LoopMonitor.Options.from(config));
            http = new HttpServer(server, loops, tls,
                    Http2Connections.create(config, server, metrics.registry()).orElse(null));
            address = http.bind(config.get(HttpSettings.HOST), config.get(HttpSettings.PORT),
                    config.get(HttpSettings.REUSE_PORT), config.get(HttpSettings.SHARED_PORT));
            if (tls != null) {
                tls.start(loops, config.get(HttpSettings.HOST), address.getPort());
                closeOnStop(tls);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandonStart(metersBefore);
            throw new IllegalStateException("Interrupted while binding", e);
        } catch (RuntimeException e) {
            abandonStart(metersBefore);
            throw e;
        }
        state = State.STARTED;
        if (config.get(CoreSettings.SHUTDOWN_ON_SIGNAL)) {
            Signals.onTerminate(this::stop);
        }
        Log.LOG.info("Spindle listening on {}://{}:{} ({} event loops, {}, {}); {} routes; started in {} ms, {} ms after JVM start",
                tls != null ? "https" : "http",
                address.getAddress().isAnyLocalAddress() ? config.get(HttpSettings.HOST) : address.getHostString(),
                address.getPort(), loops.size(), loops.transport().displayName(),
                http.listeners().size() > 1 ? http.listeners().size() + " SO_REUSEPORT listeners" : "one acceptor",
                routes.definitions().size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                ManagementFactory.getRuntimeMXBean().getUptime());
        return this;
    }

    /** The bound port (the real one when 0 was configured). */
    public int port() {
        if (address == null) {
            throw new IllegalStateException("The port is known once the app has started");
        }
        return address.getPort();
    }

    /** The bound port of the listener redirecting to HTTPS ({@code server.tls.redirect}), when there is one. */
    public OptionalInt redirectPort() {
        return tls == null ? OptionalInt.empty() : tls.redirectPort();
    }

    /**
     * Undoes a start that failed (a port in use, a certificate not readable yet), so that
     * {@link #start()} can be called again. The loops and TLS are closed, and the framework's
     * meters ({@code spindle.*}) that this attempt registered are removed: their gauges read this
     * attempt's objects, and a retry would otherwise get them back and report dead loops. Other
     * meters stay, such as the JVM binders that may finish registering meanwhile.
     */
    private void abandonStart(Set<Meter.Id> metersBefore) {
        closeTls();
        if (loopMonitor != null) {
            loopMonitor.close();
        }
        if (loops != null) {
            loops.shutdown(Duration.ofSeconds(1));
        }
        metrics.removeFrameworkMetersSince(metersBefore);
        tls = null;
        http = null;
        server = null;
        loops = null;
        loopMonitor = null;
    }

    private void closeTls() {
        if (tls != null) {
            tls.close();
        }
    }

    /** Whether the app is started and not draining. */
    public boolean isReady() {
        return state == State.STARTED && !stopping && !server.draining();
    }

    private boolean isDraining() {
        return stopping || server == null || server.draining();
    }

    /** Stops gracefully with the configured grace period ({@code shutdown.grace}, 30 s by default). */
    public void stop() {
        stop(config.get(CoreSettings.SHUTDOWN_GRACE));
    }

    /**
     * Stops gracefully: readiness turns false; for {@code shutdown.pre-stop-delay} (0 by default)
     * the listener keeps accepting and serving, so load balancers polling readiness stop sending
     * first; then the listener closes, requests in flight get up to
     * {@code grace} to finish while new ones on open connections get 503, then connections,
     * registered resources, event loops and metrics close.
     */
    public void stop(Duration grace) {
        requireNonNull(grace, "grace");
        synchronized (this) {
            if (state != State.STARTED) {
                return;
            }
            state = State.STOPPING;
        }
        if (loops.loops().stream().anyMatch(loop -> loop.inEventLoop())) {
            Thread stopper = new Thread(() -> doStop(grace), "spindle-stop");
            stopper.start();
            return;
        }
        doStop(grace);
    }

    private void doStop(Duration grace) {
        stopping = true;
        Duration preStop = config.get(CoreSettings.SHUTDOWN_PRE_STOP_DELAY);
        if (!preStop.isZero()) {
            Log.LOG.info("Readiness is now false; still serving for the pre-stop delay of {} ms before draining",
                    preStop.toMillis());
            long until = System.nanoTime() + preStop.toNanos();
            for (long left = preStop.toNanos(); left > 0 && !Thread.interrupted(); left = until - System.nanoTime()) {
                LockSupport.parkNanos(left); // an interrupt of the stopping thread cuts the delay short
            }
        }
        long start = System.nanoTime();
        long inFlight = server.metrics().active();
        Log.LOG.info("Draining: {} request(s) in flight, {} WebSocket(s) and SSE stream(s) open, grace {} ms",
                inFlight, server.longLived().size(), grace.toMillis());
        // Idle keep-alive connections close before the flag that refuses new requests goes up, and
        // again after: a request arriving on one in between is served rather than refused with a
        // 503, which a rolling restart under a steady stream of requests would count as a failure.
        http.stopAccepting();
        http.drainConnections();
        server.startDraining();
        http.drainConnections();
        long deadline = start + grace.toNanos();
        // WebSockets and SSE streams were asked to end (a 1001 close, a last event), and HTTP/2
        // connections to finish their two GOAWAYs: wait for them too.
        while ((server.metrics().active() > 0 || server.longLived().size() > 0 || http.http2Draining() > 0)
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        long abandoned = server.metrics().active() + server.longLived().size();
        http.closeConnections(Duration.ofSeconds(2));
        List<AutoCloseable> resources;
        synchronized (closeOnStop) {
            resources = new ArrayList<>(closeOnStop);
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                Log.LOG.warn("Failed to close {} during shutdown", resources.get(i), e);
            }
        }
        offload.shutdown(Duration.ofSeconds(2));
        blocking.shutdown(Duration.ofSeconds(2));
        loopMonitor.close();
        loops.shutdown(Duration.ofSeconds(5));
        metrics.close();
        synchronized (this) {
            state = State.STOPPED;
        }
        if (abandoned > 0) {
            Log.LOG.warn("Stopped after {} ms with {} request(s) or socket(s) still running past the grace period",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), abandoned);
        } else {
            Log.LOG.info("Stopped after {} ms; all requests finished", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    private void checkNotStarted() {
        if (state != State.NEW) {
            throw new IllegalStateException("Declare routes, middleware, mappers and checks before start()");
        }
    }
}
