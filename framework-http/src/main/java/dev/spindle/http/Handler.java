package dev.spindle.http;

import java.util.concurrent.CompletionStage;

/**
 * Handles one request. Runs on the connection's event loop, so it must not block: return a
 * stage that completes later for anything slow. A thrown exception, a failed or cancelled stage
 * and a stage completed with {@code null} all become a problem response.
 *
 * <pre>{@code
 * Handler hello = ctx -> Response.text("Hello " + ctx.pathParam("name")).completed();
 * }</pre>
 */
@FunctionalInterface
public interface Handler {

    /** Produces the response for {@code ctx}, now or later. */
    CompletionStage<Response> handle(Context ctx) throws Exception;
}
