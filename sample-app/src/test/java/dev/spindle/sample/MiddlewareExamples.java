package dev.spindle.sample;

import dev.spindle.http.Cors;
import dev.spindle.http.Method;
import dev.spindle.http.OutboundHttp;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.SecurityHeaders;
import dev.spindle.http.Spindle;
import dev.spindle.http.StaticFiles;
import dev.spindle.http.TraceContext;
import dev.spindle.state.Csrf;
import dev.spindle.state.Rate;
import dev.spindle.state.State;
import dev.spindle.tracing.Tracing;
import dev.spindle.validation.Validation;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The README's middleware examples, compiled with the build; {@code ReadmeTest} checks the README quotes them. */
final class MiddlewareExamples {

    record NewUser(@NotBlank String name, @Email String email) {}

    private MiddlewareExamples() {}

    static void install(Spindle app, State state, OutboundHttp upstream) {
        // README:cors:start
        app.group("/api", api -> {
            api.use(Cors.builder()
                    .allowOrigins("https://app.example.com")
                    .allowOriginPattern("https://*.preview.example.com")
                    .allowMethods(Method.GET, Method.POST, Method.DELETE)
                    .allowCredentials(true)
                    .maxAge(Duration.ofHours(1))
                    .build());
            api.delete("/items/{id}", ctx -> Response.empty(204).completed());   // preflights answered for it
        });
        // README:cors:end

        // README:security-headers:start
        app.use(SecurityHeaders.builder()
                .contentSecurityPolicy("default-src 'self'; img-src 'self' https://cdn.example.com")
                .build());
        // README:security-headers:end

        // README:csrf:start
        app.use(state.sessions());
        app.group("/account", account -> {
            account.use(Csrf.sessionToken().build());                          // unsafe methods need the token
            account.get("/csrf", ctx -> Csrf.token(ctx).thenApply(token -> Response.json(Map.of("token", token))));
            account.post("/email", ctx -> Response.empty(204).completed());    // send X-CSRF-Token: <token>
        });
        // README:csrf:end

        // README:rate-limit:start
        app.post("/login", RouteOptions.builder()
                .use(state.rateLimit(Rate.of("login", 5, Duration.ofMinutes(1))).build())   // per client address
                .build(), ctx -> Response.text("welcome").completed());
        // README:rate-limit:end

        // README:static-files:start
        app.get("/assets/*", StaticFiles.directory(Path.of("public"))
                .cacheControl("**.{js,css}", "public, max-age=31536000, immutable")
                .build());
        app.get("/docs/*", StaticFiles.classpath("docs").index("index.html").build());
        // README:static-files:end

        // README:trace-context:start
        app.use(TraceContext.middleware());                                    // traceId and spanId in the MDC
        app.get("/stock", ctx -> upstream.get(ctx, URI.create("http://stock.internal/items"))   // sends traceparent
                .thenApply(reply -> Response.text(reply.body())));
        // README:trace-context:end

        // README:validation:start
        Validation validation = Validation.install(app, NewUser.class);       // record NewUser(@NotBlank String name, @Email String email)
        app.post("/users", ctx -> validation.body(ctx, NewUser.class)
                .thenApply(user -> Response.json(user).status(201)));
        // README:validation:end
    }

    static void tracing(Spindle app) {
        // README:tracing:start
        Tracing.install(app, "orders", URI.create("http://otel-collector:4318/v1/traces"));
        // README:tracing:end
    }
}
