package dev.spindle.sample.users;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PUT /api/v1/users/{id}}: the whole profile, replaced.
 *
 * @param name display name, 1-100 characters
 * @param email e-mail address, unique among users
 */
public record ProfileUpdate(
        @NotBlank @Size(max = Fields.MAX_NAME, message = "must have at most {max} characters") String name,
        @EmailAddress String email) {

    /** This valid request with the name trimmed and the e-mail address in lower case. */
    public ProfileUpdate normalized() {
        return new ProfileUpdate(name.strip(), Fields.normalizeEmail(email));
    }
}
