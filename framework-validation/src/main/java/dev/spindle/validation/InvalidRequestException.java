package dev.spindle.validation;

import dev.spindle.http.HttpException;
import java.util.List;

/**
 * A request whose fields are invalid: a 400 whose problem lists every {@link Violation}, so a
 * client can fix all fields in one round trip. Thrown by {@link Validation}; throw it yourself for
 * rules a constraint cannot express (a taken name, say).
 */
public final class InvalidRequestException extends HttpException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    /** The request broke these rules (at least one). */
    public InvalidRequestException(List<Violation> violations) {
        super(400, describe(violations));
        this.violations = List.copyOf(violations);
    }

    /** A single invalid field. */
    public static InvalidRequestException of(String field, String message) {
        return new InvalidRequestException(List.of(new Violation(field, message)));
    }

    private static String describe(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("violations: [] (expected: at least one)");
        }
        return violations.size() == 1 ? "1 field is invalid" : violations.size() + " fields are invalid";
    }

    /** What was wrong, field by field. */
    public List<Violation> violations() {
        return violations;
    }
}
