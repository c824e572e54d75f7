package dev.spindle.sample;

import dev.spindle.cluster.Cluster;
import dev.spindle.core.Config;
import dev.spindle.http.HealthCheck;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Spindle;
import dev.spindle.sample.users.EmailTakenException;
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
import dev.spindle.state.Rate;
import dev.spindle.state.State;
import dev.spindle.validation.Validation;
import java.time.Duration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample service: a users API under {@code /api/v1} with login sessions (in Redis when
 * {@code REDIS_URL} is set, in memory otherwise) on Spindle's public API, runnable as
 * {@code java -jar sample-app.jar}. Configuration comes from the embedded
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
        // One process, or with cluster.workers > 1 (SPINDLE_CLUSTER_WORKERS=auto) a supervisor of worker processes.
        Cluster.launch(args, () -> {
            Spindle app = Spindle.create();
            install(app);
            app.start();
            log.info("Try: curl http://localhost:{}/hello/world", app.port());
            return app;
        });
    }

    /** Declares the service's routes, middleware, exception mappers and readiness check on {@code app}. */
    public static void install(Spindle app) {
        Config config = app.config();
        State state = State.install(app);
        Validation validation = Validation.install(app, NewUser.class, ProfileUpdate.class, Credentials.class, Page.class);
        app.use(SecurityHeaders.defaults());
        app.use(state.sessions());
        UserRepository users = UserRepository.inMemory();
        UserRoutes userRoutes = new UserRoutes(users, new PasswordHasher(config.get(SampleSettings.PASSWORD_ITERATIONS)),
                validation);
        // Per client address (set http.trusted-proxies behind a load balancer), shared by the instances on Redis.
        RouteOptions login = RouteOptions.builder().use(state.rateLimit(
                Rate.of("login", config.get(SampleSettings.LOGIN_LIMIT), Duration.ofMinutes(1))).build()).build();

        app.use(InstanceHeader.of(instanceId(config)));
        app.exception(UserNotFoundException.class, (e, ctx) -> Response.problem(Problem.of(404, e.getMessage())));
        app.exception(EmailTakenException.class, (e, ctx) -> Response.problem(Problem.of(409, e.getMessage())));
        app.healthCheck("users", () -> CompletableFuture.completedStage(new HealthCheck.Result(true, users.describe())));

        app.get("/hello/{name}", ctx -> Response.text("Hello " + ctx.pathParam("name")).completed());
        app.group("/api/v1", api -> {
            api.use(cors(config));
            api.use(new ServerTiming());
            userRoutes.declare(api, writeOptions(config), login);
            SessionRoutes.declare(api);
            api.get("/delay/{millis}", Delay::handle);
        });
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
            log.warn("No API key configured (sample.api-key / API_KEY): writes under /api/v1 are open to anyone");
            return RouteOptions.none();
        }
        return RouteOptions.builder().use(ApiKeyCheck.of(key.get())).build();
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
