package dev.spindle.test.middleware;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Context;
import dev.spindle.http.Cors;
import dev.spindle.http.Method;
import dev.spindle.http.Middleware;
import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CorsTest {

    private static final String APP = "https://app.example.com";

    /** Hands the rest of the chain a context that is not the framework's own class. */
    private static final Middleware WRAP_CONTEXT = (ctx, next) -> next.handle((Context) Proxy.newProxyInstance(
            Context.class.getClassLoader(), new Class<?>[] {Context.class}, (proxy, method, args) -> {
                try {
                    return method.invoke(ctx, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }));

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/open", ctx -> Response.text("no cors here").completed());
        app.group("/api", api -> {
            api.use(Cors.builder()
                    .allowOrigins(APP)
                    .allowOriginPattern("https://*.preview.example.com")
                    .allowMethods(Method.GET, Method.POST, Method.DELETE)
                    .allowHeaders("Content-Type", "X-Api-Key")
                    .exposeHeaders("X-Request-Id")
                    .allowCredentials(true)
                    .maxAge(Duration.ofMinutes(10))
                    .build());
            api.use(WRAP_CONTEXT);
            api.get("/items", ctx -> Response.json(java.util.List.of("a")).completed());
            api.delete("/items/{id}", ctx -> Response.empty(204).completed());
        });
        app.group("/public", pub -> {
            pub.use(Cors.builder().allowAnyOrigin().build());
            pub.get("/feed", ctx -> Response.text("feed").completed());
        });
    });

    private static TestResponse preflight(String path, String origin, String method, String headers) {
        return headers == null
                ? server.client().method("OPTIONS", path, "Origin", origin, "Access-Control-Request-Method", method)
                : server.client().method("OPTIONS", path, "Origin", origin, "Access-Control-Request-Method", method,
                        "Access-Control-Request-Headers", headers);
    }

    @Test
    void preflightForARouteOnlyTheGroupKnowsIsAnsweredByTheGroupsCors() {
        // DELETE /api/items/{id} has no OPTIONS route: before, group middleware never saw the automatic OPTIONS answer.
        TestResponse response = preflight("/api/items/7", APP, "DELETE", "content-type, x-api-key");

        assertThat(response).hasStatus(204);
        assertThat(response.header("Access-Control-Allow-Origin")).contains(APP);
        assertThat(response.header("Access-Control-Allow-Methods")).contains("GET, POST, DELETE");
        assertThat(response.header("Access-Control-Allow-Headers")).contains("content-type, x-api-key");
        assertThat(response.header("Access-Control-Allow-Credentials")).contains("true");
        assertThat(response.header("Access-Control-Max-Age")).contains("600");
        assertThat(String.join(",", response.headers("Vary")))
                .contains("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers");
    }

    @Test
    void preflightFromAnOriginMatchingThePatternIsAllowed() {
        assertThat(preflight("/api/items", "https://pr-12.preview.example.com", "POST", null)).hasStatus(204);
    }

    @Test
    void preflightRefusalsSayWhyAndCarryNoAllowOrigin() {
        TestResponse[] refused = {
            preflight("/api/items", "https://evil.example", "GET", null),
            preflight("/api/items", "https://preview.example.com", "GET", null),
            preflight("/api/items", "https://x.preview.example.com.evil.example", "GET", null),
            preflight("/api/items", APP, "PUT", null),
            preflight("/api/items", APP, "POST", "x-secret"),
        };

        for (TestResponse response : refused) {
            assertThat(response).hasStatus(403);
            assertThat(response.header("Access-Control-Allow-Origin")).isEmpty();
            assertThat(response.headers("Vary")).contains("Origin");
        }
        assertThat(refused[0].problem().detail()).contains("origin https://evil.example is not allowed");
        assertThat(refused[3].problem().detail()).contains("method PUT is not allowed");
        assertThat(refused[4].problem().detail()).contains("header x-secret is not allowed");
    }

    @Test
    void actualRequestFromAnAllowedOriginMayBeReadByTheScript() {
        TestResponse response = server.client().get("/api/items", "Origin", APP);

        assertThat(response).hasStatus(200);
        assertThat(response.header("Access-Control-Allow-Origin")).contains(APP);
        assertThat(response.header("Access-Control-Allow-Credentials")).contains("true");
        assertThat(response.header("Access-Control-Expose-Headers")).contains("X-Request-Id");
        assertThat(response.headers("Vary")).contains("Origin");
    }

    @Test
    void responsesVaryOnOriginEvenWithoutOneSoCachesKeepThemApart() {
        TestResponse noOrigin = server.client().get("/api/items");
        TestResponse otherOrigin = server.client().get("/api/items", "Origin", "https://evil.example");

        assertThat(noOrigin.headers("Vary")).contains("Origin");
        assertThat(noOrigin.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(otherOrigin).hasStatus(200);
        assertThat(otherOrigin.headers("Vary")).contains("Origin");
        assertThat(otherOrigin.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void errorAnswersOfTheGroupCarryCorsHeadersSoScriptsCanReadThem() {
        TestResponse missing = server.client().get("/api/nothing", "Origin", APP);

        assertThat(missing).hasStatus(404);
        assertThat(missing.header("Access-Control-Allow-Origin")).contains(APP);
    }

    @Test
    void methodNotAllowedWorksBehindMiddlewareThatWrapsTheContext() {
        // The 405 fallback used to cast the context to the framework's class: a 500 behind a wrapping middleware.
        TestResponse response = server.client().post("/api/items/7", "{}", "Origin", APP);

        assertThat(response).hasStatus(405);
        assertThat(response.header("Allow")).contains("DELETE, OPTIONS");
        assertThat(response.header("Access-Control-Allow-Origin")).contains(APP);
    }

    @Test
    void automaticOptionsWithoutPreflightHeadersStillListsTheMethods() {
        TestResponse response = server.client().method("OPTIONS", "/api/items/7");

        assertThat(response).hasStatus(204);
        assertThat(response.header("Allow")).contains("DELETE, OPTIONS");
    }

    @Test
    void anyOriginIsAStarThatNeedsNoVary() {
        TestResponse response = server.client().get("/public/feed", "Origin", "https://anyone.example");

        assertThat(response.header("Access-Control-Allow-Origin")).contains("*");
        assertThat(response.headers("Vary")).doesNotContain("Origin");
    }

    @Test
    void routesOutsideTheGroupGetNoCorsHeaders() {
        TestResponse response = server.client().get("/open", "Origin", APP);

        assertThat(response.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.headers("Vary")).isEmpty();
    }
}
