package dev.spindle.sample;

import dev.spindle.core.Setting;
import dev.spindle.core.spi.SettingsProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The sample service's own settings. Declared like a module's, so they layer like every other
 * key (embedded {@code spindle.properties}, {@code SPINDLE_SAMPLE_*}, {@code -Dspindle.sample.*})
 * and a misspelt one stops start-up.
 */
public final class SampleSettings implements SettingsProvider {

    /** The key that writes must present in {@code X-Api-Key}; unset means writes are open. */
    public static final Setting<Optional<String>> API_KEY = Setting.optionalString("sample.api-key").envAlias("API_KEY");

    /**
     * The name this instance puts in {@code X-Instance-Id}, so a response behind a load balancer
     * says which replica answered; unset means the {@code HOSTNAME} variable, then the host name.
     */
    public static final Setting<Optional<String>> INSTANCE_ID =
            Setting.optionalString("sample.instance-id").envAlias("INSTANCE_ID");

    /** PBKDF2-HMAC-SHA256 iterations for new password hashes (OWASP's 2023 advice is 600,000). */
    public static final Setting<Integer> PASSWORD_ITERATIONS =
            Setting.integer("sample.password-iterations", 600_000, 1_000, 10_000_000);

    /** Logins allowed per client address and minute, across instances when sessions live in Redis. */
    public static final Setting<Integer> LOGIN_LIMIT = Setting.integer("sample.login-limit", 10, 1, 1_000_000);

    /** Origins (comma-separated) whose scripts may call the API with the user's cookies. */
    public static final Setting<String> CORS_ORIGINS = Setting.string("sample.cors-origins", "http://localhost:3000");

    /**
     * The reputation service's base URL (the user id is appended); unset means this instance's own
     * deliberately slow stand-in under {@code /upstream/reputation/}.
     */
    public static final Setting<Optional<String>> REPUTATION_URL = Setting.optionalString("sample.reputation-url");

    /** How long the stand-in reputation service takes to answer. */
    public static final Setting<Duration> REPUTATION_DELAY =
            Setting.duration("sample.reputation-delay", Duration.ofMillis(300), Duration.ZERO, Duration.ofMinutes(1));

    /** Whether the {@code /demo} routes (CPU work on the event loop, on purpose) are served. */
    public static final Setting<Boolean> DEMO_ROUTES = Setting.bool("sample.demo-routes", true);

    /** How long a finished (completed or failed) report can still be read at {@code /api/v1/reports/{id}}. */
    public static final Setting<Duration> REPORT_RETENTION =
            Setting.duration("sample.report-retention", Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofDays(30));

    /** Reports this instance builds at once (each on the offload pool). */
    public static final Setting<Integer> REPORT_WORKERS = Setting.integer("sample.report-workers", 2, 1, 64);

    /** How often the fleet's housekeeping runs (once per period across all instances). */
    public static final Setting<Duration> HOUSEKEEPING_INTERVAL =
            Setting.duration("sample.housekeeping-interval", Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofDays(7));

    @Override
    public List<Setting<?>> settings() {
        return List.of(API_KEY, INSTANCE_ID, PASSWORD_ITERATIONS, LOGIN_LIMIT, CORS_ORIGINS, REPUTATION_URL,
                REPUTATION_DELAY, DEMO_ROUTES, REPORT_RETENTION, REPORT_WORKERS, HOUSEKEEPING_INTERVAL);
    }
}
