package dev.spindle.sample.users;

import dev.spindle.sample.web.Validator;

/**
 * The body of {@code POST /api/v1/login}.
 *
 * @param email the user's e-mail address
 * @param password the password to check
 */
public record Credentials(String email, String password) {

    /** This request, checked and normalised; throws a {@code ValidationException} listing every bad field. */
    public Credentials validated() {
        Validator validator = Validator.create();
        Fields.email(validator, email);
        validator.check(password != null && !password.isEmpty() && password.length() <= Fields.MAX_PASSWORD,
                "password", "must have 1 to " + Fields.MAX_PASSWORD + " characters");
        validator.throwIfInvalid();
        return new Credentials(Fields.normalizeEmail(email), password);
    }
}
