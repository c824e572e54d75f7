/**
 * Real Redis for tests, found in the order DESIGN.md gives: {@code REDIS_URL}, then a
 * Testcontainers container when Docker answers, then a {@code redis-server} process started on a
 * free port. With none of these, Redis tests are skipped with a loud message, unless Redis is
 * required ({@code -Dspindle.requireRedis=true} or {@code CI=true}), in which case they fail.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisExtension redis = RedisExtension.shared();
 *
 * @Test
 * void storesSessions() {
 *     try (TestServer server = TestServer.builder().set("redis.url", redis.url()).start(app -> ...)) { ... }
 * }
 * }</pre>
 */
package dev.spindle.test.redis;
