package dev.spindle.http.internal;

import dev.spindle.core.Config;
import dev.spindle.http.HttpSettings;
import dev.spindle.http.Method;
import dev.spindle.http.RouteOptions;
import java.time.Duration;

/** Resolves declared routes into {@link RouteEntry}s and compiles the {@link Router}. */
public final class RouteEntries {

    /** Route label of requests that matched no route, in metrics and logs. */
    public static final String UNMATCHED = "UNMATCHED";

    private final HttpMetrics metrics;
    private final long defaultMaxBody;
    private final Duration defaultDeadline;
    private final java.util.Set<String> exempt;

    public RouteEntries(Config config, HttpMetrics metrics) {
        this.metrics = metrics;
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
            router.add(new RouteEntry(definition.method(), definition.template(),
                    Templates.paramNames(definition.template()), definition.composedHandler(), maxBody,
                    options.deadline().orElse(defaultDeadline).toNanos(), options.interruptOnDeadline().orElse(false),
                    !exempt.contains(definition.template()), streaming, metrics));
        }
        return router;
    }

    private RouteEntry fallback(Method method, RouteOptions appOptions, dev.spindle.http.Handler handler) {
        return new RouteEntry(method, UNMATCHED, new String[0], RouteCollector.compose(appOptions.middleware(), handler),
                defaultMaxBody, defaultDeadline.toNanos(), false, true, false, metrics);
    }
}
