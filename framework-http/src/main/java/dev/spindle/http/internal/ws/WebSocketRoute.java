package dev.spindle.http.internal.ws;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.Handler;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import dev.spindle.http.WebSocketEndpoint;
import dev.spindle.http.WebSocketOptions;
import dev.spindle.http.internal.ConnectionHooks;
import dev.spindle.http.internal.LongLivedRoute;
import java.util.Base64;
import java.util.Locale;

/**
 * The handler of a WebSocket route, innermost in its middleware chain: checks that the request is
 * a valid RFC 6455 upgrade from an allowed origin, and answers 101 with the upgrade attached (the
 * connection switches once that answer is back through the middleware), or with the problem.
 */
public final class WebSocketRoute {

    private static final Response SWITCHING = Response.switchingProtocols();

    private WebSocketRoute() {}

    /** The route handler for {@code endpoint}. */
    public static Handler handler(WebSocketOptions options, WebSocketEndpoint endpoint) {
        requireNonNull(options, "options");
        requireNonNull(endpoint, "endpoint");
        return new LongLivedRoute(ctx -> {
            Response refusal = refusal(ctx, options);
            if (refusal != null) {
                return refusal.completed();
            }
            ConnectionHooks.requestUpgrade(ctx, new WebSocketUpgrade(ctx, options, endpoint));
            return SWITCHING.completed();
        }, WebSocketMeters::of);
    }

    /** The answer to a request that cannot be upgraded, or null. */
    static Response refusal(Context ctx, WebSocketOptions options) {
        if (!hasToken(ctx.header("Upgrade").orElse(""), "websocket")
                || !hasToken(ctx.header("Connection").orElse(""), "upgrade")) {
            return Response.problem(Problem.of(426, "This is a WebSocket endpoint: send an upgrade request"))
                    .header("Upgrade", "websocket");
        }
        if (!"13".equals(ctx.header("Sec-WebSocket-Version").orElse("").trim())) {
            return Response.problem(Problem.of(426, "Only WebSocket version 13 is supported"))
                    .header("Sec-WebSocket-Version", "13").header("Upgrade", "websocket");
        }
        if (!validKey(ctx.header("Sec-WebSocket-Key").orElse(""))) {
            return Response.problem(Problem.of(400, "Sec-WebSocket-Key must be 16 bytes in base64"));
        }
        String origin = ctx.header("Origin").orElse(null);
        if (origin != null && !Origins.allowed(ctx, options, origin)) {
            return Response.problem(Problem.of(403, "WebSocket connections from origin " + origin + " are not allowed"));
        }
        return null;
    }

    private static boolean validKey(String key) {
        try {
            return Base64.getDecoder().decode(key.trim()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean hasToken(String header, String token) {
        for (String part : header.split(",")) {
            if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
                return true;
            }
        }
        return false;
    }
}
