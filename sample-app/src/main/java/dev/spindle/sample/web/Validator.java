package dev.spindle.sample.web;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the violations of one request and throws them together.
 *
 * <pre>{@code
 * Validator.create()
 *         .check(name != null && !name.isBlank(), "name", "must not be blank")
 *         .check(password != null && password.length() >= 8, "password", "must have at least 8 characters")
 *         .throwIfInvalid();
 * }</pre>
 */
public final class Validator {

    private final List<Violation> violations = new ArrayList<>();

    private Validator() {}

    /** A validator with no violations yet. */
    public static Validator create() {
        return new Validator();
    }

    /** Records a violation of {@code field} unless {@code valid}. */
    public Validator check(boolean valid, String field, String message) {
        if (!valid) {
            violations.add(new Violation(field, message));
        }
        return this;
    }

    /** Throws a {@link ValidationException} with every recorded violation, if there are any. */
    public void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }
}
