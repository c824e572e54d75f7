package dev.spindle.sample;

import dev.spindle.cluster.Cluster;
import dev.spindle.core.Config;
import dev.spindle.http.HealthCheck;
import dev.spindle.http.OutboundHttp;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Spindle;
import dev.spindle.sample.demo.InlineDemoRoutes;
import dev.spindle.sample.images.AvatarRoutes;
import dev.spindle.sample.images.Thumbnails;
import dev.spindle.sample.reputation.Reputation;
import dev.spindle.sample.reputation.ReputationRoutes;
import dev.spindle.sample.reputation.ReputationService;
import dev.spindle.sample.reports.ReportRequest;
import dev.spindle.sample.reports.Reports;
import dev.spindle.sample.users.EmailTakenException;
import dev.spindle.sample.users.UserEvents;
import dev.spindle.sample.users.UserExport;
import dev.spindle.sample.users.PasswordHasher;
import dev.spindle.sample.users.SessionRoutes;
import dev.spindle.sample.users.UserNotFoundException;
import dev.spindle.sample.users.UserRepository;
import dev.spindle.sample.users.UserRoutes;
import dev.spindle.sample.web.ApiKeyCheck;
import dev.spindle.sample.web.Delay;
import dev.spindle.sample.web.InstanceHeader;
import dev.spindle.sample.web.ServerTiming;
import dev.spindle.http.Cors;
import dev.spindle.http.SecurityHeaders;
import dev.spindle.sample.users.Credentials;
import dev.spindle.sample.users.NewUser;
import dev.spindle.sample.users.Page;
import dev.spindle.sample.users.ProfileUpdate;
import dev.spindle.state.Cache;
import dev.spindle.state.CacheOptions;
import dev.spindle.state.Rate;
import dev.spindle.state.State;
import dev.spindle.state.jobs.JobRoutes;
import dev.spindle.http.Middleware;
import dev.spindle.validation.Validation;
import java.time.Duration;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample service: a users API under {@code /api/v1} (accounts, login sessions with "log out
 * everywhere", avatar thumbnails made on the offload pool, a reputation lookup cached in front of
 * a slow upstream, streamed exports, sign-up reports built on the job queue with a scheduled
 * housekeeping, live user events) with its state in Redis when {@code REDIS_URL} is set and in
 * memory otherwise, on Spindle's public API, runnable as {@code java -jar sample-app.jar}. Configuration comes from the embedded
 * {@code spindle.properties}, then {@code SPINDLE_CONFIG}, the environment ({@code PORT},
 * {@code API_KEY}, {@code INSTANCE_ID}, {@code SPINDLE_*}) and {@code -Dspindle.*} flags.
 */
public final class SampleApp {

    private static final Logger log = LoggerFactory.getLogger(SampleApp.class);

    private SampleApp() {}

    /**
     * Starts the service; SIGTERM drains it and exits with status 0. With {@code --train} it
     * starts on a free port, answers a few requests to itself and stops: run that under
     * {@code -XX:ArchiveClassesAtExit=app.jsa} and start with {@code -XX:SharedArchiveFile=app.jsa}
     * for a start-up of about half (the image build does this).
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--train")) {
            CdsTraining.run();
            return;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            Help.print(Config.load(), System.out);
            return;
        }
        if (args.length > 0) {
            System.err.println("Unknown arguments " + List.of(args) + ": try --help");
            System.exit(2);
        }
        // One process, or with cluster.workers > 1 (SPINDLE_CLUSTER_WORKERS=auto) a supervisor of worker processes.
        Cluster.launch(args, () -> {
            Spindle app = Spindle.create();
            install(app);
            app.start();
            log.info("Try: curl http://localhost:{}/hello/world", app.port());
            return app;
        });
    }

    /**
     * Declares the service's routes, middleware, exception mappers and readiness check on
     * {@code app}; users live in Redis with {@code REDIS_URL}, in memory otherwise.
     */
    public static void install(Spindle app) {
        install(app, state -> state.redis().map(redis -> UserRepository.redis(redis, app.json()))
                .orElseGet(UserRepository::inMemory));
    }

    /** As {@link #install(Spindle)}, with the users in {@code users}. */
    public static void install(Spindle app, UserRepository users) {
        install(app, state -> users);
    }

    private static void install(Spindle app, Function<State, UserRepository> repository) {
        Config config = app.config();
        State state = State.install(app);
        UserRepository users = repository.apply(state);
        Validation validation = Validation.install(app, NewUser.class, ProfileUpdate.class, Credentials.class, Page.class,
                ReportRequest.class);
        // ImageIO's plugins, Java2D and the native decoders (about a second) load in the background
        // while the server starts, not in the first upload's request nor in the start-up time.
        Thumbnails.warmUpInBackground();
        app.use(SecurityHeaders.defaults());
        app.use(state.sessions());
        UserRoutes userRoutes = new UserRoutes(users, new PasswordHasher(config.get(SampleSettings.PASSWORD_ITERATIONS)),
                validation);
        // Per client address (set http.trusted-proxies behind a load balancer), shared by the instances on Redis.
        RouteOptions login = RouteOptions.builder().use(state.rateLimit(
                Rate.of("login", config.get(SampleSettings.LOGIN_LIMIT), Duration.ofMinutes(1))).build()).build();
        RouteOptions writes = writeOptions(config);
        Cache<Reputation> reputations = state.cache(CacheOptions.builder("reputation", Reputation.class)
                .loadTimeout(ReputationRoutes.LOAD_TIMEOUT).build());
        ReputationRoutes reputation = new ReputationRoutes(users, reputations,
                OutboundHttp.create(ReputationRoutes.LOAD_TIMEOUT), reputationService(app, config), app.json());
        UserExport export = new UserExport(users, app.json());
        String instanceId = instanceId(config);
        Reports reports = Reports.start(state.jobs(), users, validation, app.json(), app.meterRegistry(), instanceId,
                config.get(SampleSettings.REPORT_RETENTION), config.get(SampleSettings.REPORT_WORKERS),
                config.get(SampleSettings.HOUSEKEEPING_INTERVAL));

        app.use(InstanceHeader.of(instanceId));
        app.exception(UserNotFoundException.class, (e, ctx) -> Response.problem(Problem.of(404, e.getMessage())));
        app.exception(EmailTakenException.class, (e, ctx) -> Response.problem(Problem.of(409, e.getMessage())));
        app.healthCheck("users", () -> CompletableFuture.completedStage(new HealthCheck.Result(true, users.describe())));

        app.get("/hello/{name}", ctx -> Response.text("Hello " + ctx.pathParam("name")).completed());
        app.group("/api/v1", api -> {
            api.use(cors(config));
            api.use(new ServerTiming());
            UserEvents events = new UserEvents(state.broadcaster());
            userRoutes.declare(api, writes.then(RouteOptions.builder().use(events.publishing()).build()), login);
            events.declare(api);
            SessionRoutes.declare(api);
            reputation.declare(api);
            AvatarRoutes.declare(api);
            export.declare(api, writes);
            api.get("/delay/{millis}", Delay::handle);
            reports.declare(api, writes);
        });
        // Queues with their counts, failed jobs, retry, cancel, pause: for operators holding the API key.
        app.group("/admin/jobs", JobRoutes.of(state.jobs(), operators(config)));
        ReputationService.declare(app, config.get(SampleSettings.REPUTATION_DELAY));
        if (config.get(SampleSettings.DEMO_ROUTES)) {
            InlineDemoRoutes.declare(app);
        }
        logWhereStateLives(state, users);
    }

    /** Says which twins this instance runs on: a newcomer should know what a restart forgets. */
    private static void logWhereStateLives(State state, UserRepository users) {
        if (state.distributed()) {
            log.info("State: sessions, the reputation cache, login rate limits, broadcast and the job queue (reports, "
                    + "housekeeping) are in Redis, shared by every instance; users: {}", users.describe());
        } else {
            log.info("State: in-memory twins for everything, in this process only: users, sessions, the reputation "
                    + "cache, login rate limits, broadcast and the job queue (reports, housekeeping); a restart "
                    + "forgets them. Set REDIS_URL to keep them in Redis and share them across instances");
        }
    }

    /** The configured reputation service, else this instance's own slow stand-in (its port is known once started). */
    private static Supplier<URI> reputationService(Spindle app, Config config) {
        Optional<String> configured = config.get(SampleSettings.REPUTATION_URL);
        if (configured.isPresent()) {
            URI uri = URI.create(configured.get().endsWith("/") ? configured.get() : configured.get() + "/");
            return () -> uri;
        }
        return () -> URI.create("http://127.0.0.1:" + app.port() + "/upstream/reputation/");
    }

    /** Browser scripts from the configured origins may call the API, cookies included. */
    private static Cors cors(Config config) {
        return Cors.builder()
                .allowOrigins(config.get(SampleSettings.CORS_ORIGINS).split("\\s*,\\s*"))
                .allowHeaders("Content-Type", "X-Api-Key", "X-CSRF-Token", "X-Request-Id")
                .exposeHeaders("X-Request-Id", "X-Instance-Id", "Retry-After", "RateLimit", "RateLimit-Policy")
                .allowCredentials(true)
                .maxAge(Duration.ofHours(1))
                .build();
    }

    private static RouteOptions writeOptions(Config config) {
        Optional<String> key = config.get(SampleSettings.API_KEY);
        if (key.isEmpty()) {
            log.warn("No API key configured (sample.api-key / API_KEY): writes and exports under /api/v1 are open to anyone");
            return RouteOptions.none();
        }
        return RouteOptions.builder().use(ApiKeyCheck.of(key.get())).build();
    }

    /** The operator routes' guard: the API key, or, without one, a refusal (they must never be open). */
    private static Middleware operators(Config config) {
        return config.get(SampleSettings.API_KEY).<Middleware>map(ApiKeyCheck::of).orElse((ctx, next) ->
                Response.problem(Problem.of(403, "The operator routes need an API key: set sample.api-key (API_KEY)"))
                        .completed());
    }

    /** The configured instance id, else {@code HOSTNAME} (set by Docker and Kubernetes), else the host name. */
    static String instanceId(Config config) {
        return config.get(SampleSettings.INSTANCE_ID)
                .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")).filter(name -> !name.isBlank()))
                .orElseGet(() -> {
                    try {
                        return InetAddress.getLocalHost().getHostName();
                    } catch (UnknownHostException e) {
                        return "unknown";
                    }
                });
    }
}
