package dev.spindle.http;

import static java.util.Objects.requireNonNull;

/**
 * A typed key for request attributes, which middleware uses to hand values (a user, a session)
 * to the handlers it wraps. Keys compare by identity: keep them in constants.
 *
 * @param <T> the attribute's type
 */
public final class AttributeKey<T> {

    private final String name;

    private AttributeKey(String name) {
        this.name = requireNonNull(name, "name");
    }

    /** A new key; {@code name} is for diagnostics only. */
    public static <T> AttributeKey<T> of(String name) {
        return new AttributeKey<>(name);
    }

    /** The diagnostic name. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
