package dev.spindle.sample.users;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A stored user. The password hash never leaves the server: responses carry a {@link UserView}.
 *
 * @param id time-ordered id, so listing in id order lists in creation order
 * @param name display name
 * @param email unique, lower-cased e-mail address
 * @param passwordHash the PBKDF2 hash in {@link PasswordHasher}'s format
 * @param createdAt when the user was created
 */
public record User(String id, String name, String email, String passwordHash, Instant createdAt) {

    /** Checks the parts where they enter. */
    public User {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(email, "email");
        requireNonNull(passwordHash, "passwordHash");
        requireNonNull(createdAt, "createdAt");
    }

    /** A copy with another name and e-mail address. */
    public User withProfile(String name, String email) {
        return new User(id, name, email, passwordHash, createdAt);
    }
}
