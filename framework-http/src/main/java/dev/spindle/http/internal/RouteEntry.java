package dev.spindle.http.internal;

import dev.spindle.http.Handler;
import dev.spindle.http.Method;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A route ready to serve: its handler already wrapped in all its middleware, its limits
 * resolved, and the per-status timers it records into created on first use.
 */
public final class RouteEntry {

    private final Method method;
    private final String template;
    private final String[] paramNames;
    private final Handler handler;
    private final long maxBodySize;
    private final long deadlineNanos;
    private final boolean interruptOnDeadline;
    private final boolean sheddable;
    private final boolean streamingBody;
    private final RouteMatch staticMatch;
    private final HttpMetrics metrics;
    private final ScopeFallbacks scope;
    private volatile HttpMetrics.RouteTimers otherTimers;
    private final AtomicReferenceArray<HttpMetrics.RouteTimers> timers =
            new AtomicReferenceArray<>(Method.values().length);

    RouteEntry(Method method, String template, String[] paramNames, Handler handler, long maxBodySize,
               long deadlineNanos, boolean interruptOnDeadline, boolean sheddable, boolean streamingBody,
               HttpMetrics metrics, ScopeFallbacks scope) {
        this.method = method;
        this.template = template;
        this.paramNames = paramNames;
        this.handler = handler;
        this.maxBodySize = maxBodySize;
        this.deadlineNanos = deadlineNanos;
        this.interruptOnDeadline = interruptOnDeadline;
        this.sheddable = sheddable;
        this.streamingBody = streamingBody;
        this.staticMatch = new RouteMatch(this, RouteMatch.NO_VALUES, null);
        this.metrics = metrics;
        this.scope = scope;
    }

    /** The automatic answers of the scope that declared this route; null for those answers themselves. */
    ScopeFallbacks scope() {
        return scope;
    }

    /** Whether this entry answers requests that matched no route (404, 405, automatic OPTIONS). */
    public boolean unmatched() {
        return template.equals(RouteEntries.UNMATCHED);
    }

    /** The timers for requests whose method Spindle does not route, labelled {@code OTHER}. */
    HttpMetrics.RouteTimers otherTimers() {
        HttpMetrics.RouteTimers other = otherTimers;
        if (other == null) {
            other = metrics.timers("OTHER", template);
            otherTimers = other;
        }
        return other;
    }

    /** The timers for requests with {@code requestMethod} (HEAD on a GET route, any method on a fallback). */
    HttpMetrics.RouteTimers timers(Method requestMethod) {
        HttpMetrics.RouteTimers forMethod = timers.getPlain(requestMethod.ordinal());
        if (forMethod == null) {
            forMethod = metrics.timers(requestMethod.name(), template);
            timers.setRelease(requestMethod.ordinal(), forMethod);
        }
        return forMethod;
    }

    /** The routed method. */
    public Method method() {
        return method;
    }

    /** The template, used as the route label in logs and metrics. */
    public String template() {
        return template;
    }

    String[] paramNames() {
        return paramNames;
    }

    /** The handler wrapped in its middleware. */
    public Handler handler() {
        return handler;
    }

    /** The largest body this route accepts. */
    public long maxBodySize() {
        return maxBodySize;
    }

    /** The request deadline of this route, in nanoseconds. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** Whether offloaded work still running at the deadline is interrupted. */
    public boolean interruptOnDeadline() {
        return interruptOnDeadline;
    }

    /** Whether the overload gate may refuse this route (health and metrics endpoints are exempt). */
    public boolean sheddable() {
        return sheddable;
    }

    /** Whether the body is streamed to the handler rather than aggregated. */
    public boolean streamingBody() {
        return streamingBody;
    }

    RouteMatch staticMatch() {
        return staticMatch;
    }
}
