package dev.spindle.http;

/**
 * Turns an application exception into a response, e.g. a domain {@code NotFound} into a 404.
 * The most specific registered type wins; exceptions no mapper claims become a 500 problem.
 *
 * <pre>{@code
 * app.exception(NoSuchUser.class, (e, ctx) -> Response.problem(Problem.of(404, e.getMessage())));
 * }</pre>
 *
 * @param <E> the exception type
 */
@FunctionalInterface
public interface ExceptionMapper<E extends Throwable> {

    /** The response for {@code exception}; problem bodies get the request id filled in. */
    Response map(E exception, Context ctx);
}
