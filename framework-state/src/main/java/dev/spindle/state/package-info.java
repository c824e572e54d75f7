/**
 * State that outlives a process or is shared by instances: sessions ({@link dev.spindle.state.Session},
 * {@link dev.spindle.state.SessionStore}), caches ({@link dev.spindle.state.Cache}) and broadcast
 * ({@link dev.spindle.state.Broadcaster}), each on Redis (Lettuce) with an in-memory twin behind the
 * same interface. {@link dev.spindle.state.State#install} picks one from {@code REDIS_URL}.
 *
 * <h2>Threads and deadlines: one model for the whole module</h2>
 *
 * <p>Every call is made either <b>for a request</b> or <b>for no request</b>.
 * <ul>
 *   <li><b>For a request</b>: {@code Session.of(ctx)}, {@code Session.get(ctx, ...)},
 *       {@code cache.forRequest(ctx)}, {@code redis.call(ctx, ...)}, {@code broadcaster.publish(ctx, ...)},
 *       and the session, CSRF and rate-limit middleware. Redis commands are bounded by the shorter
 *       of the command timeout ({@code redis.command-timeout}, 1 s) and what is left of the
 *       request's deadline; waiting for another caller's cache load is bounded by the deadline
 *       too. The returned stage completes on the request's event loop ({@code ctx.executor()}).
 *       These calls follow the request's cancellation ({@code ctx.onCancel}): once its deadline
 *       has answered 503 or its client has left, the stage fails at once with a
 *       {@code CancellationException}, so nothing chained on it runs for a request nobody waits
 *       for; a command not yet written is not sent, the reply of one already written is dropped,
 *       and nothing more is written for it (no session write-back).</li>
 *   <li><b>For no request</b> (start-up, jobs, broadcast listeners, the {@code SessionStore}
 *       methods, the cache methods other than {@code forRequest}): bounded by the command timeout
 *       (and a {@code Deadline} where one is passed). The stage completes on the calling event loop
 *       when the caller runs on one of the app's loops, and otherwise on the offload pool
 *       ({@code State.install}) or the executor the state was created with.</li>
 * </ul>
 * In both cases <em>successes and failures alike</em> complete there, never on Lettuce's I/O or
 * computation threads, and everything this module runs on the caller's behalf runs there too:
 * cache loaders, JSON encoding and decoding of values, the stale-while-revalidate refresh, session
 * write-back. Code chained on a stage may therefore use request state without locks, exactly as
 * code chained on {@code ctx.offload(...)} may, and slow user code can never stall the Redis
 * traffic of the instance. Broadcast listeners run on their subscription's executor (one app loop
 * per subscription by default), in publishing order.
 *
 * <p>Work shared by several callers belongs to none of them. A cache load started by one request
 * and joined by others is bounded by {@link dev.spindle.state.CacheOptions#loadTimeout()}, not by
 * the first caller's deadline; a caller whose deadline passes, or whose request is cancelled, fails
 * alone and the load goes on for the others. Its loader runs on the executor of the caller that
 * started it; when that caller's request is cancelled and its loader fails with it (a loader built
 * on {@code ctx.offload} or an outbound call for that request), a waiter still there loads instead.
 *
 * <p>Failures: an outage (Redis unreachable, too slow, failing over, out of memory, refusing our
 * credentials) is a {@link dev.spindle.state.StateUnavailableException}, answered 503 with
 * {@code Retry-After}; a Redis error that means a bug ({@code WRONGTYPE}) passes as it is (500).
 * Time-based rules (freshness, load bounds, lease renewal, session expiry) follow a
 * {@link dev.spindle.state.StateClock}, the system's unless a test passes a manual one.
 */
package dev.spindle.state;
