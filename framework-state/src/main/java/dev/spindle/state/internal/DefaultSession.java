package dev.spindle.state.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.state.Session;
import dev.spindle.state.SessionData;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A session as one request sees it, with the changes it made; used on the request's loop only. */
final class DefaultSession implements Session {

    /** The reserved attribute holding the principal's name (JSON), indexed by the store. */
    static final String PRINCIPAL = "@principal";

    private final String storedId;
    private final Instant createdAt;
    private final Instant accessedAt;
    private Map<String, String> attributes; // the loaded map, copied on the first change
    private final Map<String, String> puts = new HashMap<>();
    private final Set<String> removals = new HashSet<>();
    private final Json json;
    private String id;
    private boolean regenerated;
    private boolean invalidated;
    private boolean principalChanged;

    private DefaultSession(String storedId, String id, Instant createdAt, Instant accessedAt,
                           Map<String, String> attributes, Json json) {
        this.storedId = storedId;
        this.id = id;
        this.createdAt = createdAt;
        this.accessedAt = accessedAt;
        this.attributes = attributes;
        this.json = json;
    }

    static DefaultSession fresh(Instant now, Json json) {
        return new DefaultSession(null, SessionIds.next(), now, now, Map.of(), json);
    }

    static DefaultSession stored(SessionData data, Json json) {
        return new DefaultSession(data.id(), data.id(), data.createdAt(), data.accessedAt(), data.attributes(), json);
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
        String value = name.startsWith("@") ? null : attributes.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(json.read(value, type));
        } catch (RuntimeException e) {
            return Optional.empty(); // written by another version of the class (a rolling deploy): absent
        }
    }

    @Override
    public Set<String> names() {
        return attributes.keySet().stream().filter(name -> !name.startsWith("@")).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Session put(String name, Object value) {
        checkUsable();
        checkName(name);
        set(name, json.write(requireNonNull(value, "value")));
        return this;
    }

    @Override
    public Session remove(String name) {
        checkUsable();
        checkName(name);
        writable().remove(name);
        puts.remove(name);
        removals.add(name);
        return this;
    }

    @Override
    public Optional<String> principal() {
        String value = attributes.get(PRINCIPAL);
        return value == null ? Optional.empty() : Optional.of(json.read(value, String.class));
    }

    @Override
    public Session principal(String name) {
        checkUsable();
        requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("principal: empty (expected: the user's name or id)");
        }
        set(PRINCIPAL, json.write(name));
        principalChanged = true;
        return this;
    }

    private Map<String, String> writable() {
        if (!(attributes instanceof HashMap)) {
            attributes = new HashMap<>(attributes);
        }
        return attributes;
    }

    private void set(String name, String value) {
        writable().put(name, value);
        puts.put(name, value);
        removals.remove(name);
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
        attributes = Map.of();
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

    /** Whether the store's index must learn this session's principal (set now, or the id moved). */
    boolean indexDue() {
        return attributes.containsKey(PRINCIPAL) && (principalChanged || regenerated);
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
