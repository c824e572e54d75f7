package dev.spindle.sample.users;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/users}, checked by its constraints (every broken one is
 * reported, in one 400 problem).
 *
 * @param name display name, 1-100 characters
 * @param email e-mail address, unique among users
 * @param password 8-128 characters; only its hash is kept
 */
public record NewUser(
        @NotBlank @Size(max = Fields.MAX_NAME, message = "must have at most {max} characters") String name,
        @EmailAddress String email,
        @NotNull(message = "must have 8 to 128 characters")
        @Size(min = Fields.MIN_PASSWORD, max = Fields.MAX_PASSWORD, message = "must have {min} to {max} characters")
        String password) {

    /** This valid request with the name trimmed and the e-mail address in lower case. */
    public NewUser normalized() {
        return new NewUser(name.strip(), Fields.normalizeEmail(email), password);
    }
}
