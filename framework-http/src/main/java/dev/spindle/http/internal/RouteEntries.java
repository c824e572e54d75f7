package dev.spindle.http.internal;

import dev.spindle.core.Config;
import dev.spindle.http.Handler;
import dev.spindle.http.HttpSettings;
import dev.spindle.http.Method;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import java.time.Duration;
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

    /** Builds the router from every declared route; fallbacks get the app-level middleware. */
    public Router router(RouteCollector routes, DefaultHandlers.Fallbacks fallbacks) {
        RouteOptions appOptions = routes.root().effectiveOptions();
        Router router = new Router(
                fallback(Method.GET, appOptions, fallbacks.notFound()),
                fallback(Method.GET, appOptions, fallbacks.methodNotAllowed()),
                fallback(Method.OPTIONS, appOptions, fallbacks.automaticOptions()),
                new RouteEntry(Method.GET, UNMATCHED, new String[0], ctx -> null, defaultMaxBody,
                        defaultDeadline.toNanos(), false, true, false, metrics));
        for (RouteCollector.Definition definition : routes.definitions()) {
            RouteOptions options = definition.effectiveOptions();
            boolean streaming = options.streamingBody().orElse(false);
            long maxBody = options.maxBodySize().orElse(streaming ? Long.MAX_VALUE : defaultMaxBody);
            Handler handler = options.middleware().isEmpty() ? definition.handler() : RouteCollector.compose(
                    options.middleware(), recovering(definition.handler(), definition.method() + " "
                            + definition.template()));
            router.add(new RouteEntry(definition.method(), definition.template(),
                    Templates.paramNames(definition.template()), handler, maxBody,
                    options.deadline().orElse(defaultDeadline).toNanos(), options.interruptOnDeadline().orElse(false),
                    !exempt.contains(definition.template()), streaming, metrics));
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

    private RouteEntry fallback(Method method, RouteOptions appOptions, Handler handler) {
        return new RouteEntry(method, UNMATCHED, new String[0], RouteCollector.compose(appOptions.middleware(), handler),
                defaultMaxBody, defaultDeadline.toNanos(), false, true, false, metrics);
    }
}
