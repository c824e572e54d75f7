package dev.spindle.sample.web;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.Handler;
import dev.spindle.http.Middleware;
import dev.spindle.http.Response;
import java.util.concurrent.CompletionStage;

/**
 * Adds {@code X-Instance-Id} to responses: behind a load balancer it tells which replica answered,
 * which is what you want to know when one of them misbehaves.
 */
public final class InstanceHeader implements Middleware {

    /** The response header. */
    public static final String HEADER = "X-Instance-Id";

    private final String instance;

    private InstanceHeader(String instance) {
        this.instance = instance;
    }

    /** A middleware naming this instance {@code instance}. */
    public static InstanceHeader of(String instance) {
        return new InstanceHeader(requireNonNull(instance, "instance"));
    }

    @Override
    public CompletionStage<Response> handle(Context ctx, Handler next) throws Exception {
        return next.handle(ctx).thenApply(response -> response.header(HEADER, instance));
    }
}
