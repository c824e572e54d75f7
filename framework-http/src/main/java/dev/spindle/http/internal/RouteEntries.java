package dev.spindle.http.internal;

import dev.spindle.core.Config;
import dev.spindle.http.Handler;
import dev.spindle.http.HttpSettings;
import dev.spindle.http.Method;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Middleware;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Resolves declared routes into {@link RouteEntry}s and compiles the {@link Router}. */
public final class RouteEntries {

    /** Route label of requests that matched no route, in metrics and logs. */
    public static final String UNMATCHED = "UNMATCHED";

    private final HttpMetrics metrics;
    private final Failures failures;
    private final long defaultMaxBody;
    private final Duration defaultDeadline;
    private final java.util.Set<String> exempt;

    public RouteEntries(Config config, HttpMetrics metrics, Failures failures) {
        this.metrics = metrics;
        this.failures = failures;
        this.exempt = java.util.Set.of(config.get(HttpSettings.METRICS_PATH), config.get(HttpSettings.LIVE_PATH),
                config.get(HttpSettings.READY_PATH));
        this.defaultMaxBody = config.get(HttpSettings.MAX_BODY_SIZE);
        this.defaultDeadline = config.get(HttpSettings.REQUEST_DEADLINE);
    }

    /**
     * Builds the router from every declared route. The automatic answers (404, 405, OPTIONS) of
     * each scope run through that scope's middleware, so group middleware sees them too.
     */
    public Router router(RouteCollector routes, DefaultHandlers.Fallbacks fallbacks) {
        Map<RouteCollector.Scope, ScopeFallbacks> byScope = new IdentityHashMap<>();
        for (RouteCollector.Scope scope : routes.scopes()) {
            List<Middleware> middleware = scope.effectiveOptions().middleware();
            byScope.put(scope, new ScopeFallbacks(fallbacks, handler -> RouteCollector.compose(middleware, handler),
                    (method, handler) -> new RouteEntry(method, UNMATCHED, new String[0], handler, defaultMaxBody,
                            nanos(defaultDeadline), false, true, false, metrics, null)));
        }
        Router router = new Router(byScope.get(routes.root()),
                new RouteEntry(Method.GET, UNMATCHED, new String[0], ctx -> null, defaultMaxBody,
                        nanos(defaultDeadline), false, true, false, metrics, null));
        for (RouteCollector.Scope scope : routes.scopes()) {
            if (scope != routes.root()) {
                router.addScope(scope.prefix(), byScope.get(scope));
            }
        }
        for (RouteCollector.Definition definition : routes.definitions()) {
            RouteOptions options = definition.effectiveOptions();
            boolean streaming = options.streamingBody().orElse(false);
            long maxBody = options.maxBodySize().orElse(streaming ? Long.MAX_VALUE : defaultMaxBody);
            if (!streaming) {
                // An aggregated body is one array: past its largest size the limit cannot be honoured, only refused.
                maxBody = Math.min(maxBody, RequestBody.MAX_AGGREGATED);
            }
            Handler handler = options.middleware().isEmpty() ? definition.handler() : RouteCollector.compose(
                    options.middleware(), recovering(definition.handler(), definition.method() + " "
                            + definition.template()));
            router.add(new RouteEntry(definition.method(), definition.template(),
                    Templates.paramNames(definition.template()), handler, maxBody,
                    nanos(options.deadline().orElse(defaultDeadline)), options.interruptOnDeadline().orElse(false),
                    !exempt.contains(definition.template()), streaming, metrics, byScope.get(definition.scope())));
        }
        return router;
    }

    /**
     * The handler with its failures already turned into problem responses, so the middleware
     * around it sees (and can decorate) error answers like any other response.
     */
    private Handler recovering(Handler handler, String what) {
        return ctx -> {
            CompletionStage<Response> stage;
            try {
                stage = handler.handle(ctx);
            } catch (Throwable failure) {
                return failures.toResponse(failure, ctx, what).completed();
            }
            if (stage == null) {
                return failures.nullResponse(what + " (the handler returned null instead of a stage)").completed();
            }
            return stage.handle((response, failure) -> {
                if (failure == null && response != null) {
                    return response;
                }
                RequestMdc.enter(ctx.requestId());
                try {
                    return failure != null ? failures.toResponse(failure, ctx, what) : failures.nullResponse(what);
                } finally {
                    RequestMdc.exit();
                }
            });
        };
    }

    /** A deadline in nanoseconds; beyond a year (or what nanoseconds can count) it is a year, never an overflow. */
    private static long nanos(Duration deadline) {
        return deadline.compareTo(dev.spindle.core.Setting.MAX_DURATION) > 0 ? dev.spindle.core.Setting.MAX_DURATION.toNanos()
                : deadline.toNanos();
    }
}
