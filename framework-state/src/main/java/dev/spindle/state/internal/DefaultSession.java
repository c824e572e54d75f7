package dev.spindle.state.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.state.Session;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A session as one request sees it, with the changes it made; used on the request's loop only. */
final class DefaultSession implements Session {

    private final String storedId;
    private final Instant createdAt;
    private final Instant accessedAt;
    private final Map<String, String> attributes;
    private final Map<String, String> puts = new HashMap<>();
    private final Set<String> removals = new HashSet<>();
    private String id;
    private boolean regenerated;
    private boolean invalidated;

    private DefaultSession(String storedId, String id, Instant createdAt, Instant accessedAt,
                           Map<String, String> attributes) {
        this.storedId = storedId;
        this.id = id;
        this.createdAt = createdAt;
        this.accessedAt = accessedAt;
        this.attributes = new HashMap<>(attributes);
    }

    static DefaultSession fresh(Instant now) {
        return new DefaultSession(null, SessionIds.next(), now, now, Map.of());
    }

    static DefaultSession stored(dev.spindle.state.SessionData data) {
        return new DefaultSession(data.id(), data.id(), data.createdAt(), data.accessedAt(), data.attributes());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean isNew() {
        return storedId == null;
    }

    @Override
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public <T> Optional<T> get(String name, Class<T> type) {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
        String json = attributes.get(name);
        return json == null ? Optional.empty() : Optional.ofNullable(Json.read(json, type));
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(attributes.keySet());
    }

    @Override
    public Session put(String name, Object value) {
        checkUsable();
        checkName(name);
        String json = Json.write(requireNonNull(value, "value"));
        attributes.put(name, json);
        puts.put(name, json);
        removals.remove(name);
        return this;
    }

    @Override
    public Session remove(String name) {
        checkUsable();
        requireNonNull(name, "name");
        attributes.remove(name);
        puts.remove(name);
        removals.add(name);
        return this;
    }

    @Override
    public void regenerate() {
        checkUsable();
        id = SessionIds.next();
        regenerated = true;
    }

    @Override
    public void invalidate() {
        invalidated = true;
        attributes.clear();
        puts.clear();
        removals.clear();
    }

    String storedId() {
        return storedId;
    }

    Instant accessedAt() {
        return accessedAt;
    }

    boolean regenerated() {
        return regenerated;
    }

    boolean invalidated() {
        return invalidated;
    }

    boolean changed() {
        return !puts.isEmpty() || !removals.isEmpty();
    }

    Map<String, String> puts() {
        return puts;
    }

    Set<String> removals() {
        return removals;
    }

    Map<String, String> attributes() {
        return attributes;
    }

    private void checkUsable() {
        if (invalidated) {
            throw new IllegalStateException("The session was invalidated in this request");
        }
    }

    private static void checkName(String name) {
        requireNonNull(name, "name");
        if (name.isEmpty() || name.startsWith("@")) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: non-empty, not starting with @)");
        }
    }
}
