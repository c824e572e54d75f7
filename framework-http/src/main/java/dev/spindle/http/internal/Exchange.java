package dev.spindle.http.internal;

import dev.spindle.http.Method;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * One request on a connection: what was asked (immutable) and how far it got. The state only
 * moves forward and {@link #answer()} succeeds once, which is what makes "answered exactly once"
 * hold whatever order completions, deadlines, errors and disconnects arrive in; everything else
 * about a running request (its context, deadline timer, cancellation) lives in its {@link RequestScope}.
 */
final class Exchange {

    /** Receiving: the body may still arrive. Handling: a handler runs. Answered: a response is on its way. */
    enum State { RECEIVING, HANDLING, ANSWERED }

    final HttpRequest request;
    final Method method;
    final RouteMatch match;
    final long startNanos;
    final long deadlineNanos;
    /** A request refused before routing whose method is not one Spindle routes: labelled OTHER in metrics. */
    final boolean unknownMethod;
    private final String requestId;
    private final String target;
    private final String path;
    private final int queryStart;
    private State state = State.RECEIVING;

    Exchange(HttpRequest request, Method method, boolean unknownMethod, RouteMatch match, String target, String path,
             int queryStart, String requestId, long startNanos) {
        this.target = target;
        this.request = request;
        this.method = method;
        this.unknownMethod = unknownMethod;
        this.match = match;
        this.path = path;
        this.queryStart = queryStart;
        this.requestId = requestId;
        this.startNanos = startNanos;
        long budget = match.entry().deadlineNanos();
        // A deadline too long to add to a nano time is no deadline at all, never one in the past.
        this.deadlineNanos = budget > Long.MAX_VALUE / 2 ? startNanos + Long.MAX_VALUE / 2 : startNanos + budget;
    }

    State state() {
        return state;
    }

    /** The handler starts. */
    void handling() {
        if (state == State.RECEIVING) {
            state = State.HANDLING;
        }
    }

    /** Claims the right to answer: true exactly once. */
    boolean answer() {
        if (state == State.ANSWERED) {
            return false;
        }
        state = State.ANSWERED;
        return true;
    }

    boolean answered() {
        return state == State.ANSWERED;
    }

    String requestId() {
        return requestId;
    }

    /** The raw (still percent-encoded) path. */
    String path() {
        return path;
    }

    /** The request target in origin-form ({@code /path?query}), also for absolute-form requests. */
    String target() {
        return target;
    }

    /** Where the query starts in {@link #target()}, -1 without one. */
    int queryStart() {
        return queryStart;
    }

    HttpVersion version() {
        return request.protocolVersion();
    }

    boolean isHead() {
        return method == Method.HEAD;
    }

    RouteEntry entry() {
        return match.entry();
    }

    boolean acceptsGzip() {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
        return accept != null && acceptsGzip(accept);
    }

    /** Whether an {@code Accept-Encoding} value admits gzip: listed (or {@code *}) without {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        for (String coding : acceptEncoding.split(",")) {
            int semicolon = coding.indexOf(';');
            String name = (semicolon < 0 ? coding : coding.substring(0, semicolon)).trim();
            if (name.equalsIgnoreCase("gzip") || name.equals("*")) {
                return semicolon < 0 || quality(coding.substring(semicolon + 1)) > 0;
            }
        }
        return false;
    }

    private static double quality(String parameters) {
        for (String parameter : parameters.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("q")) {
                try {
                    return Double.parseDouble(pair[1].trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    String describe() {
        return method + " " + match.entry().template();
    }
}
