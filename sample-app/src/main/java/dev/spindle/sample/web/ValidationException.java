package dev.spindle.sample.web;

import java.util.List;

/**
 * A request whose fields are invalid; mapped to a 400 problem that lists every {@link Violation},
 * so a client can fix all fields in one round trip.
 */
public final class ValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    /** The request broke these rules (at least one). */
    public ValidationException(List<Violation> violations) {
        super(violations.size() == 1 ? "1 field is invalid" : violations.size() + " fields are invalid", null, false,
                false);
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("violations: [] (expected: at least one)");
        }
        this.violations = List.copyOf(violations);
    }

    /** A single invalid field. */
    public static ValidationException of(String field, String message) {
        return new ValidationException(List.of(new Violation(field, message)));
    }

    /** What was wrong, field by field. */
    public List<Violation> violations() {
        return violations;
    }
}
