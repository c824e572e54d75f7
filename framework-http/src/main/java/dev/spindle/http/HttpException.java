package dev.spindle.http;

import java.time.Duration;
import java.util.Optional;

/**
 * An exception that is an HTTP answer: throw it (or fail a stage with it) and the client gets
 * a problem response with its status and detail. The detail is shown to the client, so write
 * it for them; causes stay in the server log.
 *
 * <pre>{@code
 * User user = users.get(id);
 * if (user == null) {
 *     throw HttpException.notFound("No user with id " + id);
 * }
 * }</pre>
 */
public class HttpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Duration retryAfter;

    /** An exception answered with {@code status} (400-599) and {@code detail}. */
    public HttpException(int status, String detail) {
        this(status, detail, null, null);
    }

    /** As {@link #HttpException(int, String)}, keeping {@code cause} for the log. */
    public HttpException(int status, String detail, Throwable cause) {
        this(status, detail, null, cause);
    }

    private HttpException(int status, String detail, Duration retryAfter, Throwable cause) {
        super(detail, cause, true, cause != null);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 400-599)");
        }
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** 400: the request is malformed. */
    public static HttpException badRequest(String detail) {
        return new HttpException(400, detail);
    }

    /** 404: nothing here. */
    public static HttpException notFound(String detail) {
        return new HttpException(404, detail);
    }

    /** 409: the request conflicts with the current state. */
    public static HttpException conflict(String detail) {
        return new HttpException(409, detail);
    }

    /** 503 with {@code Retry-After}: overloaded or a dependency is down; the client may retry later. */
    public static HttpException unavailable(String detail, Duration retryAfter) {
        return new HttpException(503, detail, retryAfter, null);
    }

    /** 429 with {@code Retry-After}. */
    public static HttpException tooManyRequests(String detail, Duration retryAfter) {
        return new HttpException(429, detail, retryAfter, null);
    }

    /** The status to answer with. */
    public int status() {
        return status;
    }

    /** The {@code Retry-After} to send, if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The problem body for this exception. */
    public Problem problem() {
        return Problem.of(status, getMessage());
    }

    /** The response for this exception: the problem plus {@code Retry-After} when set. */
    public Response toResponse() {
        Response response = Response.problem(problem());
        if (retryAfter != null) {
            response = response.header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return response;
    }
}
