package dev.spindle.test.http;

import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.Parameter;
import dev.spindle.test.TestClient;
import dev.spindle.test.Protocol;
import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Method;
import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

@ParameterizedClass
@EnumSource(Protocol.class)
class RoutingTest {

    enum Color { RED, DARK_BLUE }

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/users/me", ctx -> Response.text("me").completed());
        app.get("/users/{id}", ctx -> Response.text("user " + ctx.pathParam("id", Long.class)).completed());
        app.delete("/users/{id}", ctx -> Response.empty(204).completed());
        app.get("/users/{id}/posts/{post}", ctx ->
                Response.text(ctx.pathParam("id") + "/" + ctx.pathParam("post")).completed());
        app.get("/files/*", ctx -> Response.text("file " + ctx.pathParam("*")).completed());
        app.get("/colors/{color}", ctx -> Response.text(ctx.pathParam("color", Color.class).name()).completed());
        app.get("/things/{uuid}", ctx -> Response.text(ctx.pathParam("uuid", UUID.class).toString()).completed());
        app.put("/items", ctx -> Response.text("put").completed());
        app.post("/items", ctx -> Response.text("post").completed());
        app.get("/search", ctx -> Response.text("q=" + ctx.queryParams("q") + " page="
                + ctx.queryParam("page", Integer.class).orElse(1) + " missing=" + ctx.queryParam("nope").isPresent())
                .completed());
        app.route(Method.OPTIONS, "/custom-options", ctx -> Response.text("mine").completed());
        app.get("/custom-options", ctx -> Response.text("get").completed());
        app.group("/api", api -> {
            api.get("/", ctx -> Response.text("api root").completed());
            api.group("/v1", v1 -> v1.get("/users/{id}", ctx -> Response.text("v1 " + ctx.route()).completed()));
        });
    });

    @Parameter
    Protocol protocol;

    /** A client over the protocol of this run: each test runs over HTTP/1.1, h2c and h2 (TLS). */
    private TestClient client() {
        return server.client(protocol);
    }

    @Test
    void literalSegmentBeatsParameter() {
        assertThat(client().get("/users/me")).hasStatus(200).hasBody("me");
    }

    @Test
    void parameterIsBoundAndTyped() {
        assertThat(client().get("/users/42")).hasStatus(200).hasBody("user 42");
        assertThat(client().get("/users/7/posts/x-1")).hasStatus(200).hasBody("7/x-1");
    }

    @Test
    void typedPathParameterThatDoesNotConvertIsA400NamingIt() {
        assertThat(client().get("/users/abc")).isProblem(400)
                .hasDetailContaining("Path parameter 'id'")
                .hasDetailContaining("64-bit integer")
                .hasDetailContaining("'abc'");
        assertThat(client().get("/things/not-a-uuid")).isProblem(400).hasDetailContaining("'uuid'");
        assertThat(client().get("/colors/green")).isProblem(400)
                .hasDetailContaining("'color'").hasDetailContaining("one of red, dark_blue");
    }

    @Test
    void enumParameterAcceptsLowerCaseWithDashes() {
        assertThat(client().get("/colors/dark-blue")).hasStatus(200).hasBody("DARK_BLUE");
    }

    @Test
    void percentEncodedParameterIsDecoded() {
        assertThat(client().get("/users/7/posts/a%20b%C3%A9")).hasStatus(200).hasBody("7/a bé");
    }

    // Regression: %2F decoded to '/' inside a path parameter, and dot segments reached handlers: a parameter used as a
    // file name could climb out of its directory. Such paths are refused, as Tomcat and Jetty do.
    @ParameterizedTest
    @ValueSource(strings = {"/users/7/posts/a%2Fb", "/users/7/posts/a%2fb", "/users/7/posts/a%5Cb", "/users/7/posts/a%00",
        "/users/7/posts/..", "/users/7/posts/%2e%2E", "/users/./7/posts/x", "/users/7/../8/posts/x"})
    void ambiguousPathsAreRefusedWith400(String path) {
        try (dev.spindle.test.RawHttp raw = server.raw()) {
            assertThat(raw.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(400);
        }
    }

    @Test
    void wildcardTakesTheRestOfThePath() {
        assertThat(client().get("/files/a/b/c.txt")).hasStatus(200).hasBody("file a/b/c.txt");
    }

    @Test
    void groupsPrefixTheirRoutes() {
        assertThat(client().get("/api")).hasStatus(200).hasBody("api root");
        assertThat(client().get("/api/v1/users/3")).hasStatus(200).hasBody("v1 /api/v1/users/{id}");
        assertThat(client().get("/v1/users/3")).isProblem(404);
    }

    @Test
    void unknownPathIsA404Problem() {
        assertThat(client().get("/nowhere")).isProblem(404).hasDetailContaining("GET /nowhere");
    }

    @Test
    void wrongMethodIsA405WithTheAllowedMethods() {
        TestResponse response = client().post("/users/me", "{}");

        assertThat(response).isProblem(405).hasHeader("Allow", "GET, HEAD, DELETE, OPTIONS");
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        TestResponse get = client().get("/users/42");
        TestResponse head = client().method("HEAD", "/users/42");

        assertThat(head).hasStatus(200).hasBody("").hasContentType("text/plain");
        assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length")).contains("7");
    }

    @Test
    void optionsIsAnsweredAutomaticallyWithAllow() {
        TestResponse response = client().method("OPTIONS", "/items");

        assertThat(response).hasStatus(204).hasBody("").hasHeader("Allow", "POST, PUT, OPTIONS");
    }

    @Test
    void routedOptionsWinsOverTheAutomaticAnswer() {
        assertThat(client().method("OPTIONS", "/custom-options")).hasStatus(200).hasBody("mine");
    }

    @Test
    void optionsOnAnUnknownPathIsA404() {
        assertThat(client().method("OPTIONS", "/nowhere")).isProblem(404);
    }

    @Test
    void queryParametersKeepRepeatedValuesInOrder() {
        assertThat(client().get("/search?q=a&q=b%20c&page=3&q=d")).hasStatus(200)
                .hasBody("q=[a, b c, d] page=3 missing=false");
        assertThat(client().get("/search")).hasStatus(200).hasBody("q=[] page=1 missing=false");
    }

    @Test
    void typedQueryParameterThatDoesNotConvertIsA400NamingIt() {
        assertThat(client().get("/search?page=two")).isProblem(400)
                .hasDetailContaining("Query parameter 'page'")
                .hasDetailContaining("'two'");
    }

    @Test
    void malformedPercentEscapeIsA400() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("GET /files/%zz HTTP/1.1\r\nHost: x\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.body()).contains("percent-escape");
        }
    }

    @Test
    void malformedQueryStringIsA400() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("GET /search?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("query string");
        }
    }

    @Test
    void unsupportedMethodIsA501() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("TRACE /users/me HTTP/1.1\r\nHost: x\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(501);
            assertThat(response.body()).contains("TRACE");
        }
    }

    // RFC 9112 3.2.2: a server MUST accept the absolute-form; it is routed by its path.
    @Test
    void absoluteFormTargetIsRoutedByItsPath() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("GET http://example.com/users/me HTTP/1.1\r\nHost: x\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
        }
    }
}
