package dev.spindle.sample.users;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/login}.
 *
 * @param email the user's e-mail address
 * @param password the password to check
 */
public record Credentials(
        @EmailAddress String email,
        @NotNull(message = "must have 1 to 128 characters")
        @Size(min = 1, max = Fields.MAX_PASSWORD, message = "must have {min} to {max} characters") String password) {

    /** This valid request with the e-mail address in lower case. */
    public Credentials normalized() {
        return new Credentials(Fields.normalizeEmail(email), password);
    }
}
