package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The changes one request made to a session, applied attribute by attribute so that concurrent
 * requests writing different attributes never overwrite each other. Every update also touches the
 * session: its access time becomes {@code accessedAt} and it expires {@code ttl} from now.
 *
 * @param create whether to create the session when it does not exist; when false, an update to a
 *     session that has meanwhile expired or been invalidated does nothing (no resurrection)
 * @param createdAt the creation time to record when the session is created
 * @param accessedAt the access time to record
 * @param ttl how long from now the session lives unless touched again (must be positive)
 * @param set attributes to write, as JSON text
 * @param remove attributes to delete
 */
public record SessionUpdate(boolean create, Instant createdAt, Instant accessedAt, Duration ttl, Map<String, String> set,
                            Set<String> remove) {

    /** Checks and copies the parts. */
    public SessionUpdate {
        requireNonNull(createdAt, "createdAt");
        requireNonNull(accessedAt, "accessedAt");
        requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
        set = Map.copyOf(set);
        remove = Set.copyOf(remove);
    }
}
