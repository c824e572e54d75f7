package dev.spindle.sample.users;

import java.time.Instant;

/**
 * A user as the API shows it: everything but the password hash.
 *
 * @param id the user's id
 * @param name display name
 * @param email e-mail address
 * @param createdAt when the user was created
 */
public record UserView(String id, String name, String email, Instant createdAt) {

    /** The public view of {@code user}. */
    public static UserView of(User user) {
        return new UserView(user.id(), user.name(), user.email(), user.createdAt());
    }
}
