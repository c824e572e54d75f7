package dev.spindle.http;

import dev.spindle.core.Cancellation;
import dev.spindle.core.Deadline;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * One request as a handler sees it: method, path and query parameters, headers, cookies, body
 * and the request id. A context belongs to its connection's event loop; use it from there
 * (continuations of framework futures already run there, and {@link #executor()} gets you back).
 *
 * <p>Typed getters answer a bad value with a 400 problem, so handlers need no parsing code:
 * <pre>{@code
 * app.get("/users/{id}", ctx -> users.find(ctx.pathParam("id", Long.class)).thenApply(Response::json));
 * }</pre>
 */
public interface Context {

    /** The request method. */
    Method method();

    /** The decoded request path, without the query string. */
    String path();

    /** The template of the matched route, e.g. {@code /users/{id}}. */
    String route();

    /** A path parameter of the route template; a trailing wildcard is named {@code *}. */
    String pathParam(String name);

    /**
     * A path parameter converted to {@code type}: {@code String}, {@code Integer}, {@code Long},
     * {@code Double}, {@code Boolean}, {@code UUID} or an enum; a value that does not convert is a 400.
     */
    <T> T pathParam(String name, Class<T> type);

    /** The first value of a query parameter. */
    Optional<String> queryParam(String name);

    /** A query parameter converted as in {@link #pathParam(String, Class)}; a bad value is a 400. */
    <T> Optional<T> queryParam(String name, Class<T> type);

    /** All values of a query parameter, in order. */
    List<String> queryParams(String name);

    /** The first value of a request header (names are case-insensitive). */
    Optional<String> header(String name);

    /** All values of a request header. */
    List<String> headers(String name);

    /** A request cookie's value. */
    Optional<String> cookie(String name);

    /** The peer's address (the proxy's, behind a load balancer). */
    InetSocketAddress remoteAddress();

    /**
     * The client's address: the peer's, or, when the peer is a trusted proxy
     * ({@code http.trusted-proxies}), the address it reports in {@code Forwarded} or
     * {@code X-Forwarded-For}, read right to left past further trusted hops. Headers from
     * untrusted peers are ignored, so a client cannot choose its own address (rate limits key on this).
     */
    InetAddress clientAddress();

    /**
     * {@code http} or {@code https} as the client used it: {@code https} when the request reached this
     * server over TLS, otherwise a trusted proxy's {@code X-Forwarded-Proto}; what decides, for
     * instance, whether the session cookie is Secure.
     */
    String scheme();

    /** The request id: the caller's {@code X-Request-Id} when sane, generated otherwise. */
    String requestId();

    /** The request body; empty when there is none. */
    byte[] body();

    /** The body as text, in the charset of its {@code Content-Type} (UTF-8 by default). */
    String bodyText();

    /**
     * The body bound from JSON; completes with a 400 problem that says what was wrong and where
     * when the JSON is malformed or does not fit {@code type}, and with 415 for a non-JSON type.
     */
    <T> CompletionStage<T> bodyAs(Class<T> type);

    /**
     * The body as a stream of chunks, on routes declared with {@link RouteOptions.Builder#streamingBody()}.
     * Reading from the socket pauses while the subscriber has no outstanding demand, so a large
     * upload never sits in memory. Signals arrive on this request's event loop: hand heavy work
     * (writing to disk) to {@link #blocking(Callable)}. One subscriber only.
     */
    Flow.Publisher<ByteBuffer> bodyStream();

    /** An attribute set by middleware. */
    <T> Optional<T> attribute(AttributeKey<T> key);

    /** Sets an attribute for the handlers and middleware that run after this point. */
    <T> void attribute(AttributeKey<T> key, T value);

    /**
     * Runs tasks on this request's event loop: {@code stage.thenApplyAsync(fn, ctx.executor())}.
     * Each task runs with the request id (and trace ids) in the log MDC and the route known to the
     * blocked-loop detector, as the handler itself does.
     */
    Executor executor();

    /**
     * A stage that completes on this request's loop after {@code delay}: the non-blocking sleep
     * (Node's {@code setTimeout}), scheduled on the loop itself, so no lock or thread is involved.
     *
     * <pre>{@code
     * app.get("/retry-later", ctx -> ctx.delay(Duration.ofMillis(250)).thenApply(done -> Response.text("ok")));
     * }</pre>
     */
    CompletionStage<Void> delay(Duration delay);

    /**
     * Runs {@code action} when this request is cancelled: its deadline passed (the client got 503)
     * or its client left. Framework stages ({@link #offload}, {@link #blocking}, {@link #delay},
     * {@link OutboundHttp}, Redis and the other state calls) already stop on it; register here what
     * your own code must undo, such as a query on a driver that can be aborted. Runs at once if the
     * request is already cancelled, on this request's loop otherwise. Close the returned
     * registration when the work finished on its own, so a long request does not keep an action
     * per finished step.
     *
     * <pre>{@code
     * CompletableFuture<Rows> query = legacyClient.startQuery(sql);
     * Cancellation.Registration stop = ctx.onCancel(() -> query.cancel(true));
     * query.whenComplete((rows, failure) -> stop.close());
     * }</pre>
     */
    Cancellation.Registration onCancel(Runnable action);

    /** Whether this request was cancelled (deadline passed or client gone): work still running may stop early. */
    boolean cancelled();

    /**
     * This request's deadline (10 s by default, per route or group otherwise). Bound outbound
     * calls with {@code ctx.deadline().cap(timeout)}; when it passes, the client gets 503 (408
     * while the body is still arriving) and the handler's stage is cancelled.
     */
    Deadline deadline();

    /**
     * Runs CPU-bound work on the offload pool (one thread per core, bounded queue) and completes
     * on this request's loop, so the continuation needs no locks. A full queue or a deadline that
     * cannot be met fails the stage at once, which the client sees as 503 with {@code Retry-After};
     * queued work is dropped when the deadline passes.
     *
     * <pre>{@code
     * app.get("/hash", ctx -> ctx.offload(() -> pbkdf2(ctx.queryParam("p").orElseThrow())).thenApply(Response::text));
     * }</pre>
     */
    <T> CompletionStage<T> offload(Callable<T> work);

    /** As {@link #offload(Callable)}, on the larger pool meant for blocking I/O (files, JDBC, legacy clients). */
    <T> CompletionStage<T> blocking(Callable<T> work);
}
