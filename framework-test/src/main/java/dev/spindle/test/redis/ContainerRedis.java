package dev.spindle.test.redis;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** A Redis container; a class of its own so Testcontainers loads only when Docker may be there. */
final class ContainerRedis {

    private static final DockerImageName IMAGE = DockerImageName.parse("redis:7.2-alpine");

    private ContainerRedis() {}

    static Optional<String> start() {
        CompletableFuture<Boolean> probe = CompletableFuture.supplyAsync(
                () -> DockerClientFactory.instance().isDockerAvailable());
        boolean available;
        try {
            available = probe.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
        if (!available) {
            return Optional.empty();
        }
        @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
        GenericContainer<?> redis = new GenericContainer<>(IMAGE).withExposedPorts(6379)
                .withStartupTimeout(Duration.ofSeconds(60));
        redis.start();
        return Optional.of("redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
    }
}
