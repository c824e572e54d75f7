package dev.spindle.sample.users;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.HttpException;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Routes;
import dev.spindle.sample.web.ValidationException;
import dev.spindle.sample.web.Validator;
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
    private static final int MAX_PAGE = 100;

    private final UserRepository users;
    private final PasswordHasher hasher;
    // Hashed once, on first use: an unknown e-mail address costs as much as a wrong password,
    // so response times do not tell which addresses are registered.
    private volatile String decoyHash;

    /** Routes over {@code users}, hashing with {@code hasher}. */
    public UserRoutes(UserRepository users, PasswordHasher hasher) {
        this.users = requireNonNull(users, "users");
        this.hasher = requireNonNull(hasher, "hasher");
    }

    /** Declares the routes on {@code api}; routes that change data get {@code writes} (e.g. an API-key check). */
    public void declare(Routes api, RouteOptions writes) {
        api.get("/users", this::list);
        api.post("/users", writes, this::create);
        api.get("/users/{id}", this::find);
        api.put("/users/{id}", writes, this::update);
        api.delete("/users/{id}", writes, this::delete);
        api.post("/login", this::login);
    }

    private CompletionStage<Response> list(Context ctx) {
        int limit = ctx.queryParam("limit", Integer.class).orElse(DEFAULT_PAGE);
        int offset = ctx.queryParam("offset", Integer.class).orElse(0);
        Validator.create()
                .check(limit >= 1 && limit <= MAX_PAGE, "limit", "must be between 1 and " + MAX_PAGE)
                .check(offset >= 0, "offset", "must not be negative")
                .throwIfInvalid();
        return users.list(offset, limit).thenCombine(users.count(), (page, total) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("users", page.stream().map(UserView::of).toList());
            body.put("offset", offset);
            body.put("limit", limit);
            body.put("total", total);
            return Response.json(body);
        });
    }

    private CompletionStage<Response> create(Context ctx) {
        return ctx.bodyAs(NewUser.class)
                .thenApply(body -> present(body).validated())
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
        return ctx.bodyAs(ProfileUpdate.class)
                .thenApply(body -> present(body).validated())
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
        return ctx.bodyAs(Credentials.class)
                .thenApply(body -> present(body).validated())
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

    private static <T> T present(T body) {
        if (body == null) {
            throw ValidationException.of("body", "must be a JSON object");
        }
        return body;
    }

    private static UserNotFoundException notFound(String id) {
        return new UserNotFoundException(id);
    }
}
