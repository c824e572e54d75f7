package dev.spindle.http.internal;

import dev.spindle.http.Handler;
import dev.spindle.http.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The automatic answers (404, 405, OPTIONS) of one scope, wrapped in that scope's middleware so
 * that, say, a group's CORS middleware answers preflights for the group's routes. The 405 and
 * OPTIONS entries depend on the {@code Allow} value and are made on first use: there are at most
 * as many as distinct method sets in the route table.
 */
final class ScopeFallbacks {

    private final RouteEntry notFound;
    private final Function<String, RouteEntry> methodNotAllowed;
    private final Function<String, RouteEntry> automaticOptions;
    private final ConcurrentMap<String, RouteEntry> notAllowedByAllow = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RouteEntry> optionsByAllow = new ConcurrentHashMap<>();

    /** Fallbacks whose handlers {@code wrap} puts inside the scope's middleware, as entries made by {@code entry}. */
    ScopeFallbacks(DefaultHandlers.Fallbacks handlers, Function<Handler, Handler> wrap,
                   java.util.function.BiFunction<Method, Handler, RouteEntry> entry) {
        this.notFound = entry.apply(Method.GET, wrap.apply(handlers.notFound()));
        this.methodNotAllowed = allow -> entry.apply(Method.GET, wrap.apply(handlers.methodNotAllowed().apply(allow)));
        this.automaticOptions = allow -> entry.apply(Method.OPTIONS,
                wrap.apply(handlers.automaticOptions().apply(allow)));
    }

    RouteEntry notFound() {
        return notFound;
    }

    RouteEntry methodNotAllowed(String allow) {
        return notAllowedByAllow.computeIfAbsent(allow, methodNotAllowed);
    }

    RouteEntry automaticOptions(String allow) {
        return optionsByAllow.computeIfAbsent(allow, automaticOptions);
    }
}
