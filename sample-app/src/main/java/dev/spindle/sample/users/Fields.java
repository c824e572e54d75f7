package dev.spindle.sample.users;

import java.util.Locale;

/** The limits of the fields users are made of, shared by the request types' constraints. */
final class Fields {

    static final int MAX_NAME = 100;
    static final int MAX_EMAIL = 254;
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 128;

    private Fields() {}

    static String normalizeEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
