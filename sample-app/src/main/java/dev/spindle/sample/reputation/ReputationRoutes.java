package dev.spindle.sample.reputation;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Deadline;
import dev.spindle.http.Context;
import dev.spindle.http.HttpException;
import dev.spindle.http.OutboundHttp;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Routes;
import dev.spindle.sample.users.UserNotFoundException;
import dev.spindle.sample.users.UserRepository;
import dev.spindle.state.Cache;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code GET /users/{id}/reputation}: an expensive lookup behind a cache. The first caller for a
 * user waits for the slow reputation service; everyone after, on any replica when the cache is
 * in Redis, gets the cached answer for ten minutes ({@code X-Cache: hit} or {@code miss}).
 *
 * <p>Two bounds, on purpose. The caller waits at most for its request's deadline (2 s on this
 * route): past it, it gets a 503 problem and the handler is cancelled. The lookup itself belongs
 * to no caller: it runs under its own {@link #LOAD_TIMEOUT}, so a caller that gives up does not
 * waste the work, and concurrent misses for a user make one call, not one each.
 */
public final class ReputationRoutes {

    /** How long a caller may wait on this route. */
    public static final Duration DEADLINE = Duration.ofSeconds(2);

    /** How long one call to the reputation service may take, whoever waits for it. */
    public static final Duration LOAD_TIMEOUT = Duration.ofSeconds(5);

    /** How long an answer is reused. */
    public static final Duration TTL = Duration.ofMinutes(10);

    private final UserRepository users;
    private final Cache<Reputation> cache;
    private final OutboundHttp upstream;
    private final Supplier<URI> service;
    private final ObjectMapper json;

    /**
     * Lookups for the users in {@code users}, cached in {@code cache}, asking {@code service}
     * (a base URI the user id is appended to) through {@code upstream}, reading JSON with {@code json}.
     */
    public ReputationRoutes(UserRepository users, Cache<Reputation> cache, OutboundHttp upstream,
                            Supplier<URI> service, ObjectMapper json) {
        this.users = requireNonNull(users, "users");
        this.cache = requireNonNull(cache, "cache");
        this.upstream = requireNonNull(upstream, "upstream");
        this.service = requireNonNull(service, "service");
        this.json = requireNonNull(json, "json");
    }

    /** Declares {@code GET /users/{id}/reputation} on {@code api}. */
    public void declare(Routes api) {
        api.get("/users/{id}/reputation", RouteOptions.builder().deadline(DEADLINE).build(), this::reputation);
    }

    private CompletionStage<Response> reputation(Context ctx) {
        String id = ctx.pathParam("id");
        return users.find(id).thenCompose(user -> {
            if (user.isEmpty()) {
                throw new UserNotFoundException(id);
            }
            AtomicBoolean looked = new AtomicBoolean();
            return cache.forRequest(ctx).getOrLoad(id, () -> {
                looked.set(true);
                return lookUp(id, ctx.executor());
            }, TTL).thenApply(reputation -> Response.json(reputation).header("X-Cache", looked.get() ? "miss" : "hit"));
        });
    }

    private CompletionStage<Reputation> lookUp(String id, Executor executor) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.get().resolve(id)).GET()
                .header("Accept", "application/json");
        return upstream.send(request, HttpResponse.BodyHandlers.ofString(), Deadline.in(LOAD_TIMEOUT), executor)
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new HttpException(502, "The reputation service answered " + response.statusCode());
                    }
                    return json.readValue(response.body(), Reputation.class);
                });
    }
}
