package dev.spindle.sample.users;

import dev.spindle.sample.web.Validator;
import java.util.Locale;
import java.util.regex.Pattern;

/** The rules for the fields users are made of, shared by the request types. */
final class Fields {

    static final int MAX_NAME = 100;
    static final int MAX_EMAIL = 254;
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 128;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private Fields() {}

    static Validator name(Validator validator, String name) {
        return validator
                .check(name != null && !name.isBlank(), "name", "must not be blank")
                .check(name == null || name.strip().length() <= MAX_NAME, "name",
                        "must have at most " + MAX_NAME + " characters");
    }

    static Validator email(Validator validator, String email) {
        return validator.check(email != null && email.length() <= MAX_EMAIL && EMAIL.matcher(email.strip()).matches(),
                "email", "must be an e-mail address like ada@example.com");
    }

    static Validator password(Validator validator, String password) {
        return validator.check(password != null && password.length() >= MIN_PASSWORD
                        && password.length() <= MAX_PASSWORD, "password",
                "must have " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }

    static String normalizeEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
