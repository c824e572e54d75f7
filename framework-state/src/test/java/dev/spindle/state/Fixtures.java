package dev.spindle.state;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;

/** Helpers shared by the state tests. */
final class Fixtures {

    private Fixtures() {}

    /** A key prefix no other test uses, so tests can share one Redis. */
    static String uniquePrefix() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** A connection to {@code url} under a fresh prefix. */
    static RedisConnection connect(String url) {
        return RedisConnection.connect(RedisOptions.of(url).keyPrefix(uniquePrefix()), new SimpleMeterRegistry());
    }

    /** A connection to {@code url} under {@code prefix}. */
    static RedisConnection connect(String url, String prefix) {
        return RedisConnection.connect(RedisOptions.of(url).keyPrefix(prefix), new SimpleMeterRegistry());
    }
}
