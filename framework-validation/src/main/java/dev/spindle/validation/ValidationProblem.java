package dev.spindle.validation;

import dev.spindle.http.Context;
import dev.spindle.http.Response;
import java.util.List;

/**
 * The 400 answer to an {@link InvalidRequestException}: an RFC 9457 problem with an
 * {@code errors} extension member listing each invalid field.
 *
 * @param type always {@code about:blank}: the status says what kind of problem it is
 * @param title {@code Bad Request}
 * @param status 400
 * @param detail how many fields are invalid
 * @param instance the request path
 * @param requestId the request id, as in the {@code X-Request-Id} header and the logs
 * @param errors the invalid fields
 */
public record ValidationProblem(String type, String title, int status, String detail, String instance,
                                String requestId, List<Violation> errors) {

    /** The response for {@code exception} in answer to {@code ctx}. */
    public static Response respond(InvalidRequestException exception, Context ctx) {
        ValidationProblem problem = new ValidationProblem("about:blank", "Bad Request", 400, exception.getMessage(),
                ctx.path(), ctx.requestId(), exception.violations());
        return Response.json(problem).status(400).contentType(Response.PROBLEM_JSON);
    }
}
