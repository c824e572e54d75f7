package dev.spindle.http.internal;

import dev.spindle.http.Handler;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import java.util.function.Function;

/**
 * What unmatched requests get: 404, 405 with {@code Allow}, and 204 with {@code Allow} for OPTIONS.
 * The {@code Allow} value is bound into the handler when the router picks it, so the handlers
 * never look inside the context (middleware may hand them a wrapped one).
 */
public final class DefaultHandlers {

    private DefaultHandlers() {}

    /** The fallbacks, in the order {@link RouteEntries#router} takes them. */
    public static Fallbacks fallbacks() {
        return new Fallbacks(
                ctx -> Response.problem(Problem.of(404, "No route matches " + ctx.method() + " " + ctx.path()))
                        .completed(),
                allow -> ctx -> Response.problem(Problem.of(405, ctx.method() + " is not allowed on " + ctx.path()))
                        .header("Allow", allow)
                        .completed(),
                allow -> {
                    Response options = Response.empty(204).header("Allow", allow);
                    return ctx -> options.completed();
                });
    }

    /** Handlers for unmatched requests; the last two are made for a given {@code Allow} value. */
    public record Fallbacks(Handler notFound, Function<String, Handler> methodNotAllowed,
                            Function<String, Handler> automaticOptions) {}
}
