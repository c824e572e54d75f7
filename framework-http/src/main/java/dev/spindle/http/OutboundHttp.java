package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Cancellation;
import dev.spindle.core.Deadline;
import dev.spindle.http.internal.Failures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Outbound HTTP calls that cannot forget their timeout: every call is bounded by the calling
 * request's remaining deadline (less a margin, so the call's own 504 answers first) or the
 * client's own timeout, whichever is sooner, is cancelled with its request, and completes
 * on the request's event loop. A thin layer over the JDK {@link HttpClient}; failures arrive as
 * problems the client understands: 504 for a timeout, 502 for an unreachable upstream.
 *
 * <pre>{@code
 * OutboundHttp upstream = OutboundHttp.create(Duration.ofSeconds(2));
 * app.get("/weather", ctx -> upstream.get(ctx, URI.create("http://weather.internal/today"))
 *         .thenApply(reply -> Response.bytes(reply.body().getBytes(UTF_8), "application/json")));
 * }</pre>
 */
public final class OutboundHttp {

    private final HttpClient client;
    private final Duration timeout;

    private OutboundHttp(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** A client whose calls time out after {@code timeout} at most. */
    public static OutboundHttp create(Duration timeout) {
        return create(HttpClient.newBuilder().connectTimeout(checkTimeout(timeout)).build(), timeout);
    }

    /** Wraps a configured JDK client (proxy, TLS, HTTP version) with a per-call {@code timeout}. */
    public static OutboundHttp create(HttpClient client, Duration timeout) {
        return new OutboundHttp(requireNonNull(client, "client"), checkTimeout(timeout));
    }

    /** GET {@code uri} as text, for the request {@code ctx}. */
    public CompletionStage<HttpResponse<String>> get(Context ctx, URI uri) {
        return send(ctx, HttpRequest.newBuilder(uri).GET(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code request} under {@code ctx}'s deadline, with the request's {@link TraceContext}
     * ({@code traceparent}, {@code tracestate}) when it has one; the stage completes on the request's loop.
     */
    public <T> CompletionStage<HttpResponse<T>> send(Context ctx, HttpRequest.Builder request,
                                                     HttpResponse.BodyHandler<T> body) {
        requireNonNull(request, "request");
        TraceContext.of(ctx).ifPresent(trace -> {
            request.setHeader("traceparent", trace.traceparent());
            if (!trace.traceState().isEmpty()) {
                request.setHeader("tracestate", trace.traceState());
            }
        });
        CompletionStage<HttpResponse<T>> result = send(request, body, ctx.deadline(), ctx.executor());
        // The request's cancellation (deadline passed, client gone) aborts the call behind any middleware.
        CompletableFuture<HttpResponse<T>> call = result.toCompletableFuture();
        if (!call.isDone()) {
            Cancellation.Registration registration = ctx.onCancel(() -> call.cancel(true));
            call.whenComplete((response, failure) -> registration.close()); // a long request keeps no action per call
        }
        return result;
    }

    /** Sends {@code request} bounded by {@code deadline}, completing on {@code resumeOn}. */
    public <T> CompletionStage<HttpResponse<T>> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body,
                                                     Deadline deadline, Executor resumeOn) {
        requireNonNull(request, "request");
        requireNonNull(body, "body");
        requireNonNull(deadline, "deadline");
        requireNonNull(resumeOn, "resumeOn");
        Duration bound = deadline.callTimeout(timeout);
        if (bound.isZero()) {
            return CompletableFuture.failedFuture(new HttpException(504,
                    "No time left in the request's deadline for an upstream call"));
        }
        HttpRequest built = request.timeout(bound).build();
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
        CompletableFuture<HttpResponse<T>> call = client.sendAsync(built, body);
        call.whenComplete((response, failure) -> resumeOn.execute(() -> {
            if (failure == null) {
                result.complete(response);
            } else {
                result.completeExceptionally(translate(built.uri(), bound, failure));
            }
        }));
        result.whenComplete((ignored, failure) -> {
            if (result.isCancelled()) {
                call.cancel(true);
            }
        });
        return result;
    }

    private static Throwable translate(URI uri, Duration bound, Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        String upstream = uri.getScheme() + "://" + uri.getAuthority();
        if (cause instanceof HttpTimeoutException) {
            return new HttpException(504, "The upstream " + upstream + " did not answer within " + bound.toMillis()
                    + " ms", cause);
        }
        if (cause instanceof IOException) {
            return new HttpException(502, "The upstream " + upstream + " could not be reached", cause);
        }
        return cause;
    }

    private static Duration checkTimeout(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        return timeout;
    }
}
