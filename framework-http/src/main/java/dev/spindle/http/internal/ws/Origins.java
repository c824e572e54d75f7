package dev.spindle.http.internal.ws;

import dev.spindle.http.Context;
import dev.spindle.http.WebSocketOptions;
import java.net.URI;
import java.util.Locale;

/**
 * The origin check against cross-site WebSocket hijacking: browsers send cookies with a socket
 * opened by any site, so an upgrade that carries cookies must come from the server's own origin
 * or a configured one. Upgrades without cookies (tokens) are free unless origins are configured.
 */
final class Origins {

    private Origins() {}

    static boolean allowed(Context ctx, WebSocketOptions options, String origin) {
        if (options.anyOrigin() || sameOrigin(ctx, origin)) {
            return true;
        }
        if (!options.allowedOrigins().isEmpty()) {
            return options.allowedOrigins().contains(origin);
        }
        return ctx.header("Cookie").isEmpty();
    }

    private static boolean sameOrigin(Context ctx, String origin) {
        String host = ctx.header("Host").orElse(null);
        if (host == null) {
            return false;
        }
        try {
            URI from = new URI(origin);
            URI self = new URI(ctx.scheme() + "://" + host);
            return from.getScheme() != null && from.getHost() != null
                    && from.getScheme().equalsIgnoreCase(ctx.scheme())
                    && from.getHost().toLowerCase(Locale.ROOT).equals(self.getHost().toLowerCase(Locale.ROOT))
                    && port(from) == port(self);
        } catch (Exception e) {
            return false; // "null" and other opaque origins
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
