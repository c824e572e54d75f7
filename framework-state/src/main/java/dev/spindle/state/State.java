package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Config;
import dev.spindle.core.CoreSettings;
import dev.spindle.http.HealthCheck;
import dev.spindle.http.HttpException;
import dev.spindle.http.Middleware;
import dev.spindle.http.Spindle;
import dev.spindle.state.internal.AppLoops;
import dev.spindle.state.internal.CacheBackend;
import dev.spindle.state.internal.CaffeineCacheBackend;
import dev.spindle.state.internal.Callers;
import dev.spindle.state.internal.DefaultCache;
import dev.spindle.state.internal.Json;
import dev.spindle.state.internal.LettuceConnection;
import dev.spindle.state.internal.OutageLog;
import dev.spindle.state.internal.RedisCacheBackend;
import dev.spindle.state.jobs.Jobs;
import dev.spindle.state.jobs.internal.DefaultJobs;
import dev.spindle.state.jobs.internal.MemoryJobStore;
import dev.spindle.state.jobs.internal.RedisJobStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of an app that must outlive its process or be shared by its instances: sessions,
 * caches, background jobs and broadcast. With {@code REDIS_URL} (or {@code redis.url}) set they live in Redis;
 * without it, in-memory twins serve a single instance with nothing to install. The start-up log
 * says which.
 *
 * <pre>{@code
 * Spindle app = Spindle.create();
 * State state = State.install(app);                  // Redis if REDIS_URL is set, memory otherwise
 * app.use(state.sessions());
 * Cache<Product> products = state.cache("products", Product.class);
 * state.broadcaster().subscribe("catalogue", change -> products.delete(change));
 * state.jobs().schedule("cleanup", Schedule.cron("0 * * * *"), () -> purgeExpired());
 * app.start();
 * }</pre>
 */
public final class State implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(State.class);

    private final Config config;
    private final MeterRegistry registry;
    private final RedisConnection redis;
    private final SessionStore sessionStore;
    private final SessionMiddleware sessions;
    private final Broadcaster broadcaster;
    private final Map<String, Cache<?>> caches = new HashMap<>();
    private final Map<String, Class<?>> cacheTypes = new HashMap<>();
    private final Callers callers;
    private final Json json;
    private Jobs jobs;

    private State(Config config, MeterRegistry registry, Supplier<Executor> executors, Callers callers, Json json) {
        this.config = config;
        this.registry = registry;
        this.callers = callers;
        this.json = json;
        Optional<String> url = config.get(StateSettings.REDIS_URL);
        if (url.isPresent()) {
            RedisOptions options = RedisOptions.from(config, url.get());
            this.redis = RedisConnection.connect(options, registry, callers);
            this.sessionStore = SessionStore.redis(redis);
            this.broadcaster = Broadcaster.redis(redis, BroadcastOptions.from(config), executors, registry);
            log.info("State (sessions, caches, broadcast) lives in Redis at {} ({}); command timeout {} ms",
                    options.redactedUrl(), config.sourceOf(StateSettings.REDIS_URL),
                    options.commandTimeout().toMillis());
        } else {
            this.redis = null;
            this.sessionStore = SessionStore.inMemory(config.get(StateSettings.SESSION_MEMORY_MAX));
            this.broadcaster = Broadcaster.inMemory(BroadcastOptions.from(config), executors, registry);
            log.info("State (sessions, caches, broadcast) lives in this process: no REDIS_URL is set. Fine for one "
                    + "instance; sessions and caches vanish on restart and are not shared. Set REDIS_URL to share "
                    + "them across instances.");
        }
        this.sessions = SessionMiddleware.create(sessionStore, SessionOptions.from(config), registry, json);
    }

    /**
     * Creates the state for {@code app} from its configuration and wires it in: the app's JSON
     * mapper for stored values, a {@code redis} health group ({@code /health/redis}; part of
     * readiness only with {@code redis.readiness=true}), a 503 problem with {@code Retry-After} for
     * {@link StateUnavailableException}, closing on shutdown, broadcast delivery on the app's event
     * loops, and the offload pool for completions of calls made off the loops. Call before
     * {@code start()}.
     */
    public static State install(Spindle app) {
        requireNonNull(app, "app");
        AppLoops loops = new AppLoops(app);
        State state = new State(app.config(), app.meterRegistry(), loops, loops.callers(), new Json(app::json));
        OutageLog outages = new OutageLog(log);
        app.exception(StateUnavailableException.class, (e, ctx) -> {
            outages.answered(ctx.method() + " " + ctx.route(), e.getMessage());
            return HttpException.unavailable("Dependency unavailable: " + e.getMessage(), e.retryAfter()).toResponse();
        });
        state.redis().ifPresent(redis -> {
            app.healthCheck("redis", "redis", redis.healthCheck());
            app.healthCheck("redis", "broadcast", state.broadcaster().healthCheck());
            if (app.config().get(StateSettings.REDIS_READINESS)) {
                app.healthCheck("redis", redis.healthCheck());
            }
        });
        app.closeOnStop(state);
        return state;
    }

    /**
     * State without an app (workers, tests): broadcast is delivered on {@code executors}' executors,
     * and every other stage completes on one executor it gives; values are JSON through Jackson's defaults.
     */
    public static State create(Config config, MeterRegistry registry, Supplier<Executor> executors) {
        requireNonNull(executors, "executors");
        return new State(requireNonNull(config, "config"), requireNonNull(registry, "registry"), executors,
                Callers.of(requireNonNull(executors.get(), "executor")), Json.defaults());
    }

    /** Whether state lives in Redis (shared by instances) rather than in this process. */
    public boolean distributed() {
        return redis != null;
    }

    /** The Redis connection, when state lives in Redis. */
    public Optional<RedisConnection> redis() {
        return Optional.ofNullable(redis);
    }

    /** The session middleware, configured from {@code session.*}: {@code app.use(state.sessions())}. */
    public Middleware sessions() {
        return sessions;
    }

    /** The store behind {@link #sessions()}. */
    public SessionStore sessionStore() {
        return sessionStore;
    }

    /** The broadcaster. */
    public Broadcaster broadcaster() {
        return broadcaster;
    }

    /** The cache named {@code name} holding {@code type} values, created on first use with default options. */
    public <V> Cache<V> cache(String name, Class<V> type) {
        return cache(CacheOptions.builder(name, type).maxSize(config.get(StateSettings.CACHE_MEMORY_MAX)).build());
    }

    /** The cache these options describe, created on first use; a name is bound to one value type. */
    @SuppressWarnings("unchecked")
    public synchronized <V> Cache<V> cache(CacheOptions<V> options) {
        requireNonNull(options, "options");
        Class<?> known = cacheTypes.get(options.name());
        if (known != null && known != options.type()) {
            throw new IllegalArgumentException("cache '" + options.name() + "' holds " + known.getName()
                    + " (expected: " + options.type().getName() + ")");
        }
        return (Cache<V>) caches.computeIfAbsent(options.name(), name -> {
            cacheTypes.put(name, options.type());
            CacheBackend backend = redis != null
                    ? new RedisCacheBackend(LettuceConnection.of(redis), name, options.version())
                    : new CaffeineCacheBackend(options.maxSize(), options.clock());
            return new DefaultCache<>(options, backend, registry, callers, json);
        });
    }

    /**
     * The background jobs: queues, workers and schedulers in Redis (shared by every instance), or
     * in this process without Redis. Handlers run on the offload pool; on shutdown, running jobs
     * get {@code shutdown.grace} to finish before their leases are released to other instances.
     */
    public synchronized Jobs jobs() {
        if (jobs == null) {
            jobs = new DefaultJobs(redis != null ? RedisJobStore.of(redis) : new MemoryJobStore(), broadcaster,
                    registry, callers.background(), StateClock.system(), config.get(CoreSettings.SHUTDOWN_GRACE), json);
        }
        return jobs;
    }

    /**
     * A rate limiter for {@code rate}: counts shared by every instance in Redis, or per process
     * (at most 100,000 keys) in memory.
     */
    public RateLimiter rateLimiter(Rate rate) {
        return redis != null ? RateLimiter.redis(redis, rate, Clock.systemUTC())
                : RateLimiter.inMemory(rate, Clock.systemUTC(), 100_000);
    }

    /** Rate-limiting middleware for {@code rate}, per client address unless the builder says otherwise. */
    public RateLimit.Builder rateLimit(Rate rate) {
        return RateLimit.builder(rateLimiter(rate), registry);
    }

    /** The health check of the backing store (always up for the in-memory twins). */
    public HealthCheck healthCheck() {
        return redis != null ? redis.healthCheck()
                : () -> java.util.concurrent.CompletableFuture.completedFuture(HealthCheck.Result.up());
    }

    /** Stops the jobs (within their grace), broadcast delivery, and closes the Redis connection. */
    @Override
    public void close() {
        Jobs running;
        synchronized (this) {
            running = jobs;
        }
        if (running != null) {
            running.close();
        }
        broadcaster.close();
        if (redis != null) {
            redis.close();
        }
    }
}
