package dev.spindle.http;

import java.util.function.Consumer;

/**
 * Where routes are declared: the app itself and each group. Templates are literal segments,
 * {@code {param}} segments and an optional trailing {@code *} that matches the rest of the path.
 * A more specific route wins: literal over parameter over wildcard.
 *
 * <pre>{@code
 * app.group("/api", api -> {
 *     api.use(authentication);
 *     api.get("/users/{id}", users::find);
 *     api.get("/files/*", files::serve);
 * });
 * }</pre>
 */
public interface Routes {

    /** Routes {@code method} requests for {@code template} to {@code handler}. */
    Routes route(Method method, String template, RouteOptions options, Handler handler);

    /** Adds middleware around every route of this scope, present and future; the first added is outermost. */
    Routes use(Middleware middleware);

    /** Declares a group of routes under {@code prefix} that share middleware and options. */
    Routes group(String prefix, RouteOptions options, Consumer<Routes> routes);

    /** Declares a group of routes under {@code prefix}. */
    default Routes group(String prefix, Consumer<Routes> routes) {
        return group(prefix, RouteOptions.none(), routes);
    }

    /** Routes {@code method} requests for {@code template} to {@code handler}. */
    default Routes route(Method method, String template, Handler handler) {
        return route(method, template, RouteOptions.none(), handler);
    }

    /** Routes GET (and, unless routed separately, HEAD). */
    default Routes get(String template, Handler handler) {
        return route(Method.GET, template, handler);
    }

    /** Routes GET with options. */
    default Routes get(String template, RouteOptions options, Handler handler) {
        return route(Method.GET, template, options, handler);
    }

    /** Routes POST. */
    default Routes post(String template, Handler handler) {
        return route(Method.POST, template, handler);
    }

    /** Routes POST with options. */
    default Routes post(String template, RouteOptions options, Handler handler) {
        return route(Method.POST, template, options, handler);
    }

    /** Routes PUT. */
    default Routes put(String template, Handler handler) {
        return route(Method.PUT, template, handler);
    }

    /** Routes PUT with options. */
    default Routes put(String template, RouteOptions options, Handler handler) {
        return route(Method.PUT, template, options, handler);
    }

    /** Routes PATCH. */
    default Routes patch(String template, Handler handler) {
        return route(Method.PATCH, template, handler);
    }

    /** Routes PATCH with options. */
    default Routes patch(String template, RouteOptions options, Handler handler) {
        return route(Method.PATCH, template, options, handler);
    }

    /** Routes DELETE. */
    default Routes delete(String template, Handler handler) {
        return route(Method.DELETE, template, handler);
    }

    /** Routes DELETE with options. */
    default Routes delete(String template, RouteOptions options, Handler handler) {
        return route(Method.DELETE, template, options, handler);
    }
    /**
     * A WebSocket endpoint: GET requests for {@code template} that ask for an upgrade run the
     * scope's middleware (sessions, authentication) and are then switched to the WebSocket
     * protocol; other requests get 426. See {@link WebSocket}.
     */
    default Routes websocket(String template, WebSocketEndpoint endpoint) {
        return websocket(template, WebSocketOptions.defaults(), endpoint);
    }

    /** A WebSocket endpoint with options (limits, overflow policy, subprotocols, origins, compression). */
    default Routes websocket(String template, WebSocketOptions options, WebSocketEndpoint endpoint) {
        return route(Method.GET, template, options.route(),
                dev.spindle.http.internal.ws.WebSocketRoute.handler(options, endpoint));
    }

    /**
     * A Server-Sent Events endpoint: GET requests for {@code template} run the scope's middleware
     * and then receive a {@code text/event-stream} fed through an {@link SseSink}.
     */
    default Routes sse(String template, SseEndpoint endpoint) {
        return sse(template, SseOptions.defaults(), endpoint);
    }

    /** A Server-Sent Events endpoint with options (heartbeat, overflow policy, retry, shutdown event). */
    default Routes sse(String template, SseOptions options, SseEndpoint endpoint) {
        return route(Method.GET, template, options.route(),
                dev.spindle.http.internal.sse.SseRoute.handler(options, endpoint));
    }
}
