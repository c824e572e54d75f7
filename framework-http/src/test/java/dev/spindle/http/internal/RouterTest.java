package dev.spindle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.Config;
import dev.spindle.http.Handler;
import dev.spindle.http.HttpException;
import dev.spindle.http.Method;
import dev.spindle.http.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The router on its own, built the way {@code Spindle.start()} builds it, without a server. */
class RouterTest {

    private static final Handler OK = ctx -> Response.text("ok").completed();

    private static Router router(Consumer<RouteCollector.Scope> routes) {
        RouteCollector collector = new RouteCollector();
        routes.accept(collector.root());
        HttpMetrics metrics = new HttpMetrics(new SimpleMeterRegistry());
        return new RouteEntries(Config.builder().build(), metrics, new Failures(java.util.Map.of(), metrics))
                .router(collector, DefaultHandlers.fallbacks());
    }

    @Test
    void literalBeatsParameterBeatsWildcard() {
        Router router = router(routes -> {
            routes.get("/users/*", OK);
            routes.get("/users/{id}", OK);
            routes.get("/users/me", OK);
        });

        assertThat(router.match(Method.GET, "/users/me").entry().template()).isEqualTo("/users/me");
        assertThat(router.match(Method.GET, "/users/42").entry().template()).isEqualTo("/users/{id}");
        RouteMatch deep = router.match(Method.GET, "/users/42/photos/1");
        assertThat(deep.entry().template()).isEqualTo("/users/*");
        assertThat(deep.value("*")).isEqualTo("42/photos/1");
    }

    @Test
    void backtracksFromALiteralDeadEndToAParameter() {
        Router router = router(routes -> {
            routes.get("/users/me", OK);
            routes.get("/users/{id}/posts", OK);
        });

        RouteMatch match = router.match(Method.GET, "/users/me/posts");

        assertThat(match.entry().template()).isEqualTo("/users/{id}/posts");
        assertThat(match.value("id")).isEqualTo("me");
    }

    @Test
    void capturesParametersInTemplateOrder() {
        Router router = router(routes -> routes.get("/orgs/{org}/repos/{repo}", OK));

        RouteMatch match = router.match(Method.GET, "/orgs/spindle/repos/core");

        assertThat(match.value("org")).isEqualTo("spindle");
        assertThat(match.value("repo")).isEqualTo("core");
        assertThat(match.value("nope")).isNull();
    }

    @Test
    void parameterNeverMatchesAnEmptySegment() {
        Router router = router(routes -> routes.get("/users/{id}", OK));

        assertThat(router.match(Method.GET, "/users/").entry().template()).isEqualTo(RouteEntries.UNMATCHED);
        assertThat(router.match(Method.GET, "/users/").allow()).isNull();
    }

    @Test
    void unknownPathIsNotFound() {
        Router router = router(routes -> routes.get("/a", OK));

        RouteMatch match = router.match(Method.GET, "/b");

        assertThat(match.entry().unmatched()).isTrue();
        assertThat(match.allow()).isNull();
    }

    @Test
    void headFallsBackToGetUnlessRoutedItself() {
        Handler head = ctx -> Response.empty(200).completed();
        Router router = router(routes -> {
            routes.get("/a", OK);
            routes.get("/b", OK);
            routes.route(Method.HEAD, "/b", head);
        });

        assertThat(router.match(Method.HEAD, "/a").entry().method()).isEqualTo(Method.GET);
        assertThat(router.match(Method.HEAD, "/b").entry().method()).isEqualTo(Method.HEAD);
    }

    @Test
    void methodNotAllowedListsTheUnionOfEveryMatchingTemplate() {
        Router router = router(routes -> {
            routes.put("/users/me", OK);
            routes.get("/users/{id}", OK);
            routes.delete("/users/{id}", OK);
            routes.patch("/users/*", OK);
            routes.post("/users", OK);
        });

        RouteMatch match = router.match(Method.POST, "/users/me");

        assertThat(match.entry().template()).isEqualTo(RouteEntries.UNMATCHED);
        assertThat(match.allow()).isEqualTo("GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
    }

    @Test
    void optionsOnARoutedPathIsAnsweredAutomaticallyWithAllow() {
        Router router = router(routes -> routes.post("/items", OK));

        RouteMatch match = router.match(Method.OPTIONS, "/items");

        assertThat(match.entry().method()).isEqualTo(Method.OPTIONS);
        assertThat(match.allow()).isEqualTo("POST, OPTIONS");
    }

    @Test
    void decodesPercentEscapesPerSegmentSoAnEscapedSlashStaysInItsSegment() {
        Router router = router(routes -> {
            routes.get("/files/{name}", OK);
            routes.get("/café", OK);
        });

        RouteMatch slash = router.match(Method.GET, "/files/a%2Fb");
        assertThat(slash.entry().template()).isEqualTo("/files/{name}");
        assertThat(slash.value("name")).isEqualTo("a/b");
        assertThat(router.match(Method.GET, "/caf%C3%A9").entry().template()).isEqualTo("/café");
        assertThat(router.match(Method.GET, "/files/%E2%82%AC%20x").value("name")).isEqualTo("€ x");
    }

    @Test
    void wildcardValueIsDecodedToo() {
        Router router = router(routes -> routes.get("/static/*", OK));

        assertThat(router.match(Method.GET, "/static/a%20b/c").value("*")).isEqualTo("a b/c");
    }

    @Test
    void malformedPercentEscapeIsABadRequest() {
        Router router = router(routes -> routes.get("/files/{name}", OK));

        for (String path : new String[] {"/files/%zz", "/files/%4", "/files/%", "/files/%C3%28"}) {
            assertThatThrownBy(() -> router.match(Method.GET, path)).as(path)
                    .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void duplicateRouteFailsNamingBothTemplates() {
        assertThatThrownBy(() -> router(routes -> {
            routes.get("/users/{id}", OK);
            routes.get("/users/{name}", OK);
        })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Duplicate route: GET /users/{name}")
                .hasMessageContaining("/users/{id}");
    }

    @Test
    void sameTemplateWithDifferentMethodsIsNotADuplicate() {
        Router router = router(routes -> {
            routes.get("/users/{id}", OK);
            routes.put("/users/{id}", OK);
        });

        assertThat(router.match(Method.PUT, "/users/1").entry().method()).isEqualTo(Method.PUT);
    }

    @Test
    void invalidTemplatesFailWhenDeclared() {
        RouteCollector.Scope routes = new RouteCollector().root();

        assertThatThrownBy(() -> routes.get("users", OK)).hasMessageContaining("starts with /");
        assertThatThrownBy(() -> routes.get("/a/*/b", OK)).hasMessageContaining("only as the last segment");
        assertThatThrownBy(() -> routes.get("/a/x*", OK)).hasMessageContaining("as a whole segment");
        assertThatThrownBy(() -> routes.get("/a/{id", OK)).hasMessageContaining("fills a whole segment");
        assertThatThrownBy(() -> routes.get("/a/x{id}", OK)).hasMessageContaining("fills a whole segment");
        assertThatThrownBy(() -> routes.get("/a/{1d}", OK)).hasMessageContaining("parameter names like {id}");
        assertThatThrownBy(() -> routes.get("/a/{id}/b/{id}", OK)).hasMessageContaining("distinct parameter names");
        assertThatThrownBy(() -> routes.group("/api/", api -> {})).hasMessageContaining("without trailing slash");
        assertThatThrownBy(() -> routes.group("api", api -> {})).hasMessageContaining("prefix: api");
    }

    @Test
    void groupPrefixesJoinTemplates() {
        Router router = router(routes -> routes.group("/api", api -> api.group("/v1", v1 -> {
            v1.get("/", OK);
            v1.get("/users/{id}", OK);
        })));

        assertThat(router.match(Method.GET, "/api/v1").entry().template()).isEqualTo("/api/v1");
        assertThat(router.match(Method.GET, "/api/v1/users/7").entry().template()).isEqualTo("/api/v1/users/{id}");
    }
}
