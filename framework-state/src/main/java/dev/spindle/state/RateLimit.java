package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.Handler;
import dev.spindle.http.Middleware;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import dev.spindle.state.internal.CallScope;
import dev.spindle.state.internal.RedisFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Middleware that refuses requests over a {@link RateLimiter}'s rate with {@code 429}, a
 * {@code Retry-After} and the {@code RateLimit-Policy} / {@code RateLimit} fields of the IETF
 * draft ({@code "login";q=5;w=60} and {@code "login";r=0;t=12}), which allowed requests carry too.
 * Requests are counted per key: the client address by default (behind a load balancer, set
 * {@code http.trusted-proxies} so that it is the client's, not the proxy's), or a user id or API
 * key from {@link Builder#key}. When Redis is down it lets requests through by default (counted
 * in {@code spindle_ratelimit_unavailable_total}), or refuses them with 503 when set to fail closed.
 *
 * <pre>{@code
 * Middleware logins = state.rateLimit(Rate.of("login", 5, Duration.ofMinutes(1))).build();   // per client address
 * api.post("/login", RouteOptions.builder().use(logins).build(), users::login);
 * api.use(state.rateLimit(Rate.of("api", 1000, Duration.ofHours(1))).key(ctx -> ctx.header("X-Api-Key")).failClosed().build());
 * }</pre>
 */
public final class RateLimit implements Middleware {

    private final RateLimiter limiter;
    private final Function<Context, Optional<String>> key;
    private final boolean failOpen;
    private final String policy;
    private final String name;
    private final Counter allowed;
    private final Counter limited;
    private final Counter unavailable;

    private RateLimit(Builder builder) {
        this.limiter = builder.limiter;
        this.key = builder.key;
        this.failOpen = builder.failOpen;
        Rate rate = limiter.rate();
        this.name = '"' + rate.name() + '"';
        this.policy = name + ";q=" + rate.limit() + ";w=" + Math.max(1, rate.period().toSeconds());
        MeterRegistry registry = builder.registry;
        this.allowed = decisions(registry, rate, "allowed");
        this.limited = decisions(registry, rate, "limited");
        this.unavailable = Counter.builder("spindle.ratelimit.unavailable")
                .description("Requests decided without the rate limiter's store, by the configured policy")
                .tag("rate", rate.name()).tag("policy", failOpen ? "open" : "closed").register(registry);
    }

    private static Counter decisions(MeterRegistry registry, Rate rate, String result) {
        return Counter.builder("spindle.ratelimit.requests").description("Requests checked against a rate limit")
                .tag("rate", rate.name()).tag("result", result).register(registry);
    }

    /**
     * A builder counting with {@code limiter} into {@code registry} (usually {@code app.meterRegistry()};
     * {@link State#rateLimit} fills both in); the key is the client address unless {@link Builder#key} says otherwise.
     */
    public static Builder builder(RateLimiter limiter, MeterRegistry registry) {
        return new Builder(requireNonNull(limiter, "limiter"), requireNonNull(registry, "registry"));
    }

    @Override
    public CompletionStage<Response> handle(Context ctx, Handler next) throws Exception {
        Optional<String> id = key.apply(ctx);
        if (id.isEmpty()) {
            return next.handle(ctx);
        }
        CompletionStage<RateLimiter.Decision> decision;
        try {
            decision = limiter.acquire(id.get(), ctx.deadline());
        } catch (StateUnavailableException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        // On the request's loop, and never once the request was cancelled: a decision that arrives
        // after the deadline's 503 (or a gone client) must not run the handler, even failing open.
        return CallScope.of(ctx).resume(decision).handle((outcome, failure) -> {
            try {
                return failure != null ? unavailable(ctx, next, failure)
                        : outcome.allowed() ? allow(ctx, next, outcome) : refuse(outcome).completed();
            } catch (Exception e) {
                return CompletableFuture.<Response>failedFuture(e);
            }
        }).thenCompose(Function.identity());
    }

    private CompletionStage<Response> allow(Context ctx, Handler next, RateLimiter.Decision outcome) throws Exception {
        allowed.increment();
        return next.handle(ctx).thenApply(response -> fields(response, outcome));
    }

    private Response refuse(RateLimiter.Decision outcome) {
        limited.increment();
        String seconds = Long.toString(ceilSeconds(outcome.retryAfter()));
        return fields(Response.problem(Problem.of(429, "Too many requests for " + limiter.rate().name()
                + ": retry in " + seconds + " s")).header("Retry-After", seconds), outcome);
    }

    private CompletionStage<Response> unavailable(Context ctx, Handler next, Throwable failure) {
        Throwable cause = RedisFailures.unwrap(failure);
        if (!(cause instanceof StateUnavailableException outage)) {
            return CompletableFuture.failedFuture(cause);
        }
        unavailable.increment();
        if (!failOpen) {
            return Response.problem(Problem.of(503, "The rate limiter is unavailable: " + outage.getMessage()))
                    .header("Retry-After", Long.toString(ceilSeconds(outage.retryAfter()))).completed();
        }
        try {
            return next.handle(ctx);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Response fields(Response response, RateLimiter.Decision outcome) {
        return response.header("RateLimit-Policy", policy)
                .header("RateLimit", name + ";r=" + outcome.remaining() + ";t=" + ceilSeconds(outcome.reset()));
    }

    private static long ceilSeconds(Duration duration) {
        long millis = duration.toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    /** Which key to count by and what to do when the store is down. */
    public static final class Builder {

        private final RateLimiter limiter;
        private Function<Context, Optional<String>> key = ctx -> Optional.of(ctx.clientAddress().getHostAddress());
        private final MeterRegistry registry;
        private boolean failOpen = true;

        private Builder(RateLimiter limiter, MeterRegistry registry) {
            this.limiter = limiter;
            this.registry = registry;
        }

        /** The key to count by, e.g. a user id or {@code ctx -> ctx.header("X-Api-Key")}; empty skips the limit. */
        public Builder key(Function<Context, Optional<String>> key) {
            this.key = requireNonNull(key, "key");
            return this;
        }

        /** Refuse requests with 503 while the store is down, instead of letting them through. */
        public Builder failClosed() {
            failOpen = false;
            return this;
        }

        /** The middleware. */
        public RateLimit build() {
            return new RateLimit(this);
        }
    }
}
