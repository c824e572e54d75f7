package dev.spindle.sample.users;

/** No user has the id asked for; the app maps it to a 404 problem. */
public final class UserNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The user {@code id} does not exist. */
    public UserNotFoundException(String id) {
        super("No user with id " + id, null, false, false);
    }
}
