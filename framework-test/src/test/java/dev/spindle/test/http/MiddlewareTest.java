package dev.spindle.test.http;

import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.Parameter;
import dev.spindle.test.TestClient;
import dev.spindle.test.Protocol;
import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.AttributeKey;
import dev.spindle.http.HttpException;
import dev.spindle.http.Middleware;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@ParameterizedClass
@EnumSource(Protocol.class)
class MiddlewareTest {

    private static final AttributeKey<String> TRAIL = AttributeKey.of("trail");

    /** Records its name on the way in (attribute) and on the way out (one X-Trail header value). */
    private static Middleware mark(String name) {
        return (ctx, next) -> {
            ctx.attribute(TRAIL, ctx.attribute(TRAIL).map(trail -> trail + ">").orElse("") + name);
            return next.handle(ctx).thenApply(response -> response.header("X-Trail", name));
        };
    }

    private static final Middleware GUARD = (ctx, next) -> ctx.header("Authorization").isPresent()
            ? next.handle(ctx)
            : Response.text("no").status(401).completed();

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.use(mark("global1"));
        app.get("/plain", ctx -> Response.text(ctx.attribute(TRAIL).orElse("")).completed());
        app.group("/api", RouteOptions.builder().use(mark("groupOption")).build(), api -> {
            api.use(mark("group"));
            api.get("/route", RouteOptions.builder().use(mark("route")).build(),
                    ctx -> Response.text(ctx.attribute(TRAIL).orElse("")).completed());
            api.group("/inner", inner -> {
                inner.use(mark("inner"));
                inner.get("/deep", ctx -> Response.text(ctx.attribute(TRAIL).orElse("")).completed());
            });
            api.get("/fails", ctx -> {
                throw HttpException.conflict("nope");
            });
        });
        app.group("/private", RouteOptions.builder().use(GUARD).build(), priv ->
                priv.get("/data", ctx -> Response.text("secret").completed()));
        app.use(mark("global2"));
    });

    @Parameter
    Protocol protocol;

    /** A client over the protocol of this run: each test runs over HTTP/1.1, h2c and h2 (TLS). */
    private TestClient client() {
        return server.client(protocol);
    }

    @Test
    void globalMiddlewareWrapsEveryRouteInTheOrderAdded() {
        TestResponse response = client().get("/plain");

        assertThat(response).hasBody("global1>global2");
        assertThat(response.headers("X-Trail")).containsExactly("global2", "global1");
    }

    @Test
    void globalThenGroupThenRouteOnTheWayInAndTheReverseOnTheWayOut() {
        TestResponse response = client().get("/api/route");

        assertThat(response).hasStatus(200).hasBody("global1>global2>groupOption>group>route");
        assertThat(response.headers("X-Trail")).containsExactly("route", "group", "groupOption", "global2", "global1");
    }

    @Test
    void nestedGroupsNestTheirMiddleware() {
        assertThat(client().get("/api/inner/deep")).hasBody("global1>global2>groupOption>group>inner");
    }

    @Test
    void groupMiddlewareStaysInsideItsGroup() {
        assertThat(client().get("/private/data")).hasStatus(401).hasBody("no");
        assertThat(client().get("/private/data", "Authorization", "Bearer x")).hasStatus(200)
                .hasBody("secret");
        assertThat(client().get("/plain")).hasStatus(200);
    }

    @Test
    void globalMiddlewareAlsoWrapsTheNotFoundAnswer() {
        TestResponse response = client().get("/missing");

        assertThat(response).isProblem(404);
        assertThat(response.headers("X-Trail")).containsExactly("global2", "global1");
    }

    @Test
    void aHandlersFailureComesBackThroughEveryMiddlewareAsAProblemResponse() {
        TestResponse response = client().get("/api/fails");

        assertThat(response).isProblem(409);
        assertThat(response.headers("X-Trail")).containsExactly("group", "groupOption", "global2", "global1");
    }
}
