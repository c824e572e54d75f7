package dev.spindle.sample.users;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.HttpException;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Routes;
import dev.spindle.validation.Validation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The users API: JSON CRUD, and a login that checks a password. Handlers never block: the store
 * answers with stages, and password hashing, the one CPU-heavy step, runs through
 * {@link Context#offload}.
 */
public final class UserRoutes {

    private static final int DEFAULT_PAGE = 20;

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Validation validation;
    // Hashed once, on first use: an unknown e-mail address costs as much as a wrong password,
    // so response times do not tell which addresses are registered.
    private volatile String decoyHash;

    /** Routes over {@code users}, hashing with {@code hasher}, checking requests with {@code validation}. */
    public UserRoutes(UserRepository users, PasswordHasher hasher, Validation validation) {
        this.users = requireNonNull(users, "users");
        this.hasher = requireNonNull(hasher, "hasher");
        this.validation = requireNonNull(validation, "validation");
    }

    /**
     * Declares the routes on {@code api}; routes that change data get {@code writes} (e.g. an
     * API-key check), the login gets {@code login} (e.g. a rate limit).
     */
    public void declare(Routes api, RouteOptions writes, RouteOptions login) {
        api.get("/users", this::list);
        api.post("/users", writes, this::create);
        api.get("/users/{id}", this::find);
        api.put("/users/{id}", writes, this::update);
        api.delete("/users/{id}", writes, this::delete);
        api.post("/login", login, this::login);
    }

    private CompletionStage<Response> list(Context ctx) {
        Page page = validation.check(new Page(ctx.queryParam("limit", Integer.class).orElse(DEFAULT_PAGE),
                ctx.queryParam("offset", Integer.class).orElse(0)));
        return users.list(page.offset(), page.limit()).thenCombine(users.count(), (found, total) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("users", found.stream().map(UserView::of).toList());
            body.put("offset", page.offset());
            body.put("limit", page.limit());
            body.put("total", total);
            return Response.json(body);
        });
    }

    private CompletionStage<Response> create(Context ctx) {
        return validation.body(ctx, NewUser.class)
                .thenApply(NewUser::normalized)
                .thenCompose(user -> users.findByEmail(user.email()).thenCompose(existing -> {
                    // Checked before hashing so a duplicate costs no CPU; insert() still decides races.
                    if (existing.isPresent()) {
                        return CompletableFuture.failedStage(new EmailTakenException(user.email()));
                    }
                    return ctx.offload(() -> hasher.hash(user.password()))
                            .thenCompose(hash -> users.insert(
                                    new User(UserIds.next(), user.name(), user.email(), hash, Instant.now())));
                }))
                .thenApply(user -> Response.json(UserView.of(user)).status(201)
                        .header("Location", ctx.path() + "/" + user.id()));
    }

    private CompletionStage<Response> find(Context ctx) {
        String id = ctx.pathParam("id");
        return users.find(id).thenApply(user -> Response.json(UserView.of(user.orElseThrow(() -> notFound(id)))));
    }

    private CompletionStage<Response> update(Context ctx) {
        String id = ctx.pathParam("id");
        return validation.body(ctx, ProfileUpdate.class)
                .thenApply(ProfileUpdate::normalized)
                .thenCompose(profile -> users.find(id).thenCompose(user -> users.update(
                        user.orElseThrow(() -> notFound(id)).withProfile(profile.name(), profile.email()))))
                .thenApply(user -> Response.json(UserView.of(user)));
    }

    private CompletionStage<Response> delete(Context ctx) {
        String id = ctx.pathParam("id");
        return users.delete(id).thenApply(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return Response.empty(204);
        });
    }

    private CompletionStage<Response> login(Context ctx) {
        return validation.body(ctx, Credentials.class)
                .thenApply(Credentials::normalized)
                .thenCompose(credentials -> users.findByEmail(credentials.email())
                        .thenCompose(user -> ctx.offload(() -> {
                            if (user.isEmpty()) {
                                hasher.matches(credentials.password(), decoyHash());
                                return false;
                            }
                            return hasher.matches(credentials.password(), user.get().passwordHash());
                        }).thenCompose(matches -> {
                            if (!matches) {
                                throw new HttpException(401, "Wrong e-mail address or password");
                            }
                            return SessionRoutes.logIn(ctx, user.get());
                        })));
    }

    private String decoyHash() {
        String hash = decoyHash;
        if (hash == null) {
            hash = hasher.hash("decoy password, never matched");
            decoyHash = hash;
        }
        return hash;
    }

    private static UserNotFoundException notFound(String id) {
        return new UserNotFoundException(id);
    }
}
