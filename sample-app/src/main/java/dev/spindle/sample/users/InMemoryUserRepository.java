package dev.spindle.sample.users;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Users in two lock-free maps, safe to call from any event loop: by id (sorted, and ids are
 * time-ordered, so a page is a walk from the start) and by e-mail address (the uniqueness check).
 */
final class InMemoryUserRepository implements UserRepository {

    private final ConcurrentNavigableMap<String, User> byId = new ConcurrentSkipListMap<>();
    private final ConcurrentMap<String, String> idByEmail = new ConcurrentHashMap<>();
    // ConcurrentSkipListMap.size() walks the whole map; readiness asks for the count often.
    private final AtomicInteger size = new AtomicInteger();

    @Override
    public CompletionStage<User> insert(User user) {
        if (idByEmail.putIfAbsent(user.email(), user.id()) != null) {
            return CompletableFuture.failedStage(new EmailTakenException(user.email()));
        }
        byId.put(user.id(), user);
        size.incrementAndGet();
        return CompletableFuture.completedStage(user);
    }

    @Override
    public CompletionStage<Optional<User>> find(String id) {
        return CompletableFuture.completedStage(Optional.ofNullable(byId.get(id)));
    }

    @Override
    public CompletionStage<Optional<User>> findByEmail(String email) {
        String id = idByEmail.get(email);
        return CompletableFuture.completedStage(id == null ? Optional.empty() : Optional.ofNullable(byId.get(id)));
    }

    @Override
    public CompletionStage<List<User>> list(int offset, int limit) {
        List<User> page = new ArrayList<>(Math.min(limit, 100));
        Iterator<User> users = byId.values().iterator();
        for (int skipped = 0; skipped < offset && users.hasNext(); skipped++) {
            users.next();
        }
        while (page.size() < limit && users.hasNext()) {
            page.add(users.next());
        }
        return CompletableFuture.completedStage(page);
    }

    @Override
    public CompletionStage<User> update(User user) {
        User old = byId.get(user.id());
        if (old == null) {
            return CompletableFuture.failedStage(new UserNotFoundException(user.id()));
        }
        if (!old.email().equals(user.email())) {
            if (idByEmail.putIfAbsent(user.email(), user.id()) != null) {
                return CompletableFuture.failedStage(new EmailTakenException(user.email()));
            }
            idByEmail.remove(old.email(), user.id());
        }
        if (byId.replace(user.id(), user) == null) {
            idByEmail.remove(user.email(), user.id());
            return CompletableFuture.failedStage(new UserNotFoundException(user.id()));
        }
        return CompletableFuture.completedStage(user);
    }

    @Override
    public CompletionStage<Boolean> delete(String id) {
        User removed = byId.remove(id);
        if (removed != null) {
            idByEmail.remove(removed.email(), id);
            size.decrementAndGet();
        }
        return CompletableFuture.completedStage(removed != null);
    }

    @Override
    public CompletionStage<Integer> count() {
        return CompletableFuture.completedStage(size.get());
    }

    @Override
    public String describe() {
        return "in-memory, " + size.get() + " user(s)";
    }
}
