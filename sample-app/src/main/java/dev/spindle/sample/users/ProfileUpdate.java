package dev.spindle.sample.users;

import dev.spindle.sample.web.Validator;

/**
 * The body of {@code PUT /api/v1/users/{id}}: the whole profile, replaced.
 *
 * @param name display name, 1-100 characters
 * @param email e-mail address, unique among users
 */
public record ProfileUpdate(String name, String email) {

    /** This request, checked and normalised; throws a {@code ValidationException} listing every bad field. */
    public ProfileUpdate validated() {
        Validator validator = Validator.create();
        Fields.name(validator, name);
        Fields.email(validator, email);
        validator.throwIfInvalid();
        return new ProfileUpdate(name.strip(), Fields.normalizeEmail(email));
    }
}
