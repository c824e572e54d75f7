package dev.spindle.sample.users;

import dev.spindle.sample.web.Validator;

/**
 * The body of {@code POST /api/v1/users}.
 *
 * @param name display name, 1-100 characters
 * @param email e-mail address, unique among users
 * @param password 8-128 characters; only its hash is kept
 */
public record NewUser(String name, String email, String password) {

    /** This request, checked and normalised; throws a {@code ValidationException} listing every bad field. */
    public NewUser validated() {
        Validator validator = Validator.create();
        Fields.name(validator, name);
        Fields.email(validator, email);
        Fields.password(validator, password);
        validator.throwIfInvalid();
        return new NewUser(name.strip(), Fields.normalizeEmail(email), password);
    }
}
