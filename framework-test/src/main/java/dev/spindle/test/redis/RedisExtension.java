package dev.spindle.test.redis;

import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Gives a test class a real Redis, or skips the class loudly when there is none (fails it when
 * Redis is {@linkplain TestRedis#required() required}). Register it as a {@code static} field.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisExtension redis = RedisExtension.shared();           // the JVM-wide Redis
 *
 * @RegisterExtension
 * static final RedisExtension owned = RedisExtension.ownServer(true);    // a process this class may kill
 * }</pre>
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {

    private final boolean own;
    private final boolean appendOnly;
    private String url;
    private RedisServer server;

    private RedisExtension(boolean own, boolean appendOnly) {
        this.own = own;
        this.appendOnly = appendOnly;
    }

    /** The Redis shared by all test classes of the JVM (see {@link TestRedis}). */
    public static RedisExtension shared() {
        return new RedisExtension(false, false);
    }

    /**
     * A {@code redis-server} process of this class's own, which it may kill and restart; with
     * {@code appendOnly} its data survives a kill. Needs {@code redis-server} on the PATH.
     */
    public static RedisExtension ownServer(boolean appendOnly) {
        return new RedisExtension(true, appendOnly);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (own) {
            if (!RedisServer.binaryAvailable()) {
                unavailable(context, "no redis-server on the PATH (install it: apt-get install redis-server)");
            }
            server = (appendOnly ? RedisServer.withAppendOnly() : RedisServer.inMemory()).start();
            url = server.url();
            return;
        }
        TestRedis.Availability shared = TestRedis.shared();
        if (shared.url().isEmpty()) {
            unavailable(context, shared.source());
        }
        url = shared.url().get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The Redis URL, e.g. {@code redis://127.0.0.1:40123}. */
    public String url() {
        if (url == null) {
            throw new IllegalStateException("Redis is known once the test class has started");
        }
        return url;
    }

    /** The owned process, for {@link #ownServer(boolean)} extensions. */
    public Optional<RedisServer> server() {
        return Optional.ofNullable(server);
    }

    private static void unavailable(ExtensionContext context, String reason) {
        String message = "No Redis for " + context.getDisplayName() + ": " + reason;
        if (TestRedis.required()) {
            throw new IllegalStateException(message + " (Redis is required: -D" + TestRedis.REQUIRE_PROPERTY
                    + "=true or CI=true)");
        }
        System.err.println("\n*** SKIPPED *** " + message
                + "\n*** Set REDIS_URL, start Docker or install redis-server; -D" + TestRedis.REQUIRE_PROPERTY
                + "=true makes this a failure.\n");
        throw new TestAbortedException(message);
    }
}
