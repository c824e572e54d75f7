package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * A session as a {@link SessionStore} holds it: timestamps and attributes, each attribute's value
 * as the JSON text it was written as.
 *
 * @param id the session id
 * @param createdAt when the session was created (for the absolute timeout)
 * @param accessedAt when the session was last written or touched (for the idle timeout)
 * @param attributes attribute names to JSON values
 */
public record SessionData(String id, Instant createdAt, Instant accessedAt, Map<String, String> attributes) {

    /** Checks and copies the parts. */
    public SessionData {
        requireNonNull(id, "id");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(accessedAt, "accessedAt");
        attributes = Map.copyOf(attributes);
    }
}
