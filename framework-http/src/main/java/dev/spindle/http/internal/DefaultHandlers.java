package dev.spindle.http.internal;

import dev.spindle.http.Handler;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;

/** What unmatched requests get: 404, 405 with {@code Allow}, and 204 with {@code Allow} for OPTIONS. */
public final class DefaultHandlers {

    private DefaultHandlers() {}

    /** The fallbacks, in the order {@link RouteEntries#router} takes them. */
    public static Fallbacks fallbacks() {
        return new Fallbacks(
                ctx -> Response.problem(Problem.of(404, "No route matches " + ctx.method() + " " + ctx.path()))
                        .completed(),
                ctx -> Response.problem(Problem.of(405, ctx.method() + " is not allowed on " + ctx.path()))
                        .header("Allow", allow(ctx))
                        .completed(),
                ctx -> Response.empty(204).header("Allow", allow(ctx)).completed());
    }

    private static String allow(dev.spindle.http.Context ctx) {
        return ((DefaultContext) ctx).match().allow();
    }

    /** Handlers for unmatched requests. */
    public record Fallbacks(Handler notFound, Handler methodNotAllowed, Handler automaticOptions) {}
}
