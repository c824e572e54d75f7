package dev.spindle.test.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds the Redis that tests share, once per JVM: {@code REDIS_URL} when set; otherwise a
 * Testcontainers container when a Docker engine answers; otherwise a {@code redis-server} started
 * on a free port. The choice and the reason for it are printed once.
 *
 * <p>Redis is <em>required</em> when {@code -Dspindle.requireRedis=true} is set or the {@code CI}
 * environment variable is {@code true}: then a missing Redis fails the tests instead of skipping them.
 */
public final class TestRedis {

    /** The system property that makes Redis required. */
    public static final String REQUIRE_PROPERTY = "spindle.requireRedis";

    private static Availability shared;

    private TestRedis() {}

    /** Whether a missing Redis fails the tests rather than skipping them. */
    public static boolean required() {
        return Boolean.getBoolean(REQUIRE_PROPERTY) || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The shared Redis, found or started on first use; {@code url()} is empty with a reason when there is none. */
    public static synchronized Availability shared() {
        if (shared == null) {
            shared = find();
            System.err.println("[spindle-test] Redis for tests: " + shared.describe());
        }
        return shared;
    }

    private static Availability find() {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            return new Availability(Optional.of(url.trim()), "REDIS_URL");
        }
        StringBuilder why = new StringBuilder();
        if (dockerMayBeThere()) {
            try {
                Optional<String> container = startContainer();
                if (container.isPresent()) {
                    return new Availability(container, "Testcontainers");
                }
                why.append("Docker did not answer; ");
            } catch (RuntimeException | LinkageError e) {
                why.append("Testcontainers failed (").append(e.getMessage()).append("); ");
            }
        } else {
            why.append("no Docker engine; ");
        }
        if (RedisServer.binaryAvailable()) {
            try {
                RedisServer server = RedisServer.inMemory().start();
                return new Availability(Optional.of(server.url()), why + "started " + server);
            } catch (RuntimeException e) {
                why.append("redis-server failed to start (").append(e.getMessage()).append(')');
                return new Availability(Optional.empty(), why.toString());
            }
        }
        why.append("no redis-server on the PATH (install it: apt-get install redis-server)");
        return new Availability(Optional.empty(), why.toString());
    }

    /**
     * A cheap look for a Docker endpoint before loading Testcontainers, whose own probing can take
     * a long time on a machine without one.
     */
    private static boolean dockerMayBeThere() {
        if (System.getenv("DOCKER_HOST") != null) {
            return true;
        }
        String home = System.getProperty("user.home", "");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        return Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(home, ".testcontainers.properties"))
                || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
                || (runtime != null && Files.exists(Path.of(runtime, "docker.sock")));
    }

    private static Optional<String> startContainer() {
        CompletableFuture<Optional<String>> started = CompletableFuture.supplyAsync(ContainerRedis::start);
        try {
            return started.get(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(String.valueOf(e.getCause() != null ? e.getCause() : e), e);
        }
    }

    /**
     * Where the shared Redis is, or why there is none.
     *
     * @param url the Redis URL, if one was found or started
     * @param source how it was found, or why it was not
     */
    public record Availability(Optional<String> url, String source) {

        /** One line for the test log. */
        public String describe() {
            return url.map(u -> u + " (" + source + ")").orElse("none: " + source);
        }
    }
}
