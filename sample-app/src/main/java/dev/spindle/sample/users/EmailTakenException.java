package dev.spindle.sample.users;

/** Another user already has the e-mail address; the app maps it to a 409 problem. */
public final class EmailTakenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@code email} belongs to another user. */
    public EmailTakenException(String email) {
        super("The e-mail address " + email + " is already registered", null, false, false);
    }
}
