package dev.spindle.http.internal;

import dev.spindle.core.OverloadException;
import dev.spindle.http.Context;
import dev.spindle.http.ExceptionMapper;
import dev.spindle.http.HttpException;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every way a handler can fail into one response: the user's mappers first (most specific
 * type wins), then {@link HttpException}, then a 500 that says nothing about the cause. Each
 * server-side failure is logged once, with the request id in the MDC.
 */
public final class Failures {

    private static final Logger log = LoggerFactory.getLogger("dev.spindle.http");

    private final Map<Class<? extends Throwable>, ExceptionMapper<? extends Throwable>> mappers;
    private final HttpMetrics metrics;

    public Failures(Map<Class<? extends Throwable>, ExceptionMapper<? extends Throwable>> mappers,
                    HttpMetrics metrics) {
        this.mappers = Map.copyOf(mappers);
        this.metrics = metrics;
    }

    /** The response for a failed request; {@code ctx} is null when the request never reached a handler. */
    public Response toResponse(Throwable failure, Context ctx, String what) {
        Throwable cause = unwrap(failure);
        // The framework's own answers (an HttpException, overload's 503, a cancellation) are only overridden by a
        // mapper for their own type: a broad mapper for RuntimeException must not turn shedding into 500s.
        ExceptionMapper<Throwable> mapper = mapperFor(cause.getClass(), cause instanceof HttpException
                || cause instanceof OverloadException || cause instanceof CancellationException);
        if (mapper != null && ctx != null) {
            try {
                Response mapped = mapper.map(cause, ctx);
                if (mapped != null) {
                    return mapped;
                }
                log.error("Exception mapper for {} returned null while handling {}", cause.getClass().getName(), what,
                        cause);
                return internalError();
            } catch (RuntimeException e) {
                e.addSuppressed(cause);
                log.error("Exception mapper for {} failed while handling {}", cause.getClass().getName(), what, e);
                return internalError();
            }
        }
        if (cause instanceof HttpException http) {
            if (http.status() >= 500 && http.getCause() != null) {
                log.error("{} answered {}: {}", what, http.status(), http.getMessage(), http.getCause());
            } else {
                log.debug("{} answered {}: {}", what, http.status(), http.getMessage());
            }
            return http.toResponse();
        }
        if (cause instanceof OverloadException overload) {
            log.debug("{} refused: {}", what, overload.getMessage());
            metrics.rejected(overload.reason().tag());
            return overloaded(overload);
        }
        if (cause instanceof CancellationException) {
            log.warn("{} was cancelled before it produced a response", what);
            return Response.problem(Problem.of(503, "The request was cancelled before it completed"));
        }
        log.error("{} failed", what, cause);
        return internalError();
    }

    /** The response for a handler whose stage completed with {@code null}. */
    public Response nullResponse(String what) {
        log.error("{} completed with a null response", what);
        return internalError();
    }

    /** 503 with {@code Retry-After} for work refused under load. */
    public static Response overloaded(OverloadException overload) {
        return Response.problem(Problem.of(503, overload.getMessage()))
                .header("Retry-After", Long.toString(Math.max(1, overload.retryAfter().toSeconds())));
    }

    /** The 500 problem, which never carries the cause. */
    public static Response internalError() {
        return Response.problem(Problem.of(500, "An unexpected error occurred; quote the request id when reporting it"));
    }

    /** The cause under CompletionException and ExecutionException wrappers. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @SuppressWarnings("unchecked")
    private ExceptionMapper<Throwable> mapperFor(Class<?> type, boolean framework) {
        // An HttpException already says how to answer; only a mapper for its own type overrides that.
        Class<?> stop = framework ? RuntimeException.class : null;
        for (Class<?> current = type; current != stop; current = current.getSuperclass()) {
            ExceptionMapper<?> mapper = mappers.get(current);
            if (mapper != null) {
                return (ExceptionMapper<Throwable>) mapper;
            }
        }
        return null;
    }
}
