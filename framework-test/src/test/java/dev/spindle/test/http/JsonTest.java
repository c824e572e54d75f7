package dev.spindle.test.http;

import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.Parameter;
import dev.spindle.test.TestClient;
import dev.spindle.test.Protocol;
import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

@ParameterizedClass
@EnumSource(Protocol.class)
class JsonTest {

    record NewUser(String name, int age, List<String> tags) {}

    record User(long id, String name, int age, List<String> tags) {}

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.post("/users", ctx -> ctx.bodyAs(NewUser.class)
                .thenApply(user -> Response.json(new User(7, user.name(), user.age(), user.tags()))
                        .status(201).header("Location", "/users/7")));
        app.get("/map", ctx -> Response.json(Map.of("ok", true, "n", 3)).completed());
    });

    @Parameter
    Protocol protocol;

    /** A client over the protocol of this run: each test runs over HTTP/1.1, h2c and h2 (TLS). */
    private TestClient client() {
        return server.client(protocol);
    }

    @Test
    void bindsAJsonBodyAndAnswersJson() {
        TestResponse response = client().post("/users", "{\"name\":\"Ada\",\"age\":36,\"tags\":[\"math\"]}");

        assertThat(response).hasStatus(201).hasContentType("application/json").hasHeader("Location", "/users/7");
        assertThat(response.json(User.class)).isEqualTo(new User(7, "Ada", 36, List.of("math")));
    }

    @Test
    void writesMapsAsJsonObjects() {
        JsonNode json = client().get("/map").json();

        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("n").asInt()).isEqualTo(3);
    }

    @Test
    void malformedJsonIsA400SayingWhatAndWhere() {
        TestResponse response = client().post("/users", "{\"name\":\"Ada\",\n \"age\": 36,,}");

        assertThat(response).isProblem(400)
                .hasDetailContaining("Malformed JSON")
                .hasDetailContaining("line 2");
    }

    @Test
    void wrongTypeIsA400NamingTheField() {
        TestResponse response = client().post("/users", "{\"name\":\"Ada\",\"age\":\"old\"}");

        assertThat(response).isProblem(400)
                .hasDetailContaining("JSON does not match the expected shape")
                .hasDetailContaining("$.age");
    }

    @Test
    void wrongTypeInsideAnArrayNamesTheIndex() {
        TestResponse response = client().post("/users", "{\"name\":\"Ada\",\"age\":1,\"tags\":[\"a\",{}]}");

        assertThat(response).isProblem(400).hasDetailContaining("$.tags[1]");
    }

    @Test
    void emptyBodyIsA400() {
        assertThat(client().post("/users", "")).isProblem(400).hasDetailContaining("empty");
    }

    @Test
    void nonJsonContentTypeIsA415() {
        TestResponse response = client().send(client().request("/users")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\",\"age\":1}")));

        assertThat(response).isProblem(415).hasDetailContaining("text/plain");
    }

    @Test
    void jsonSuffixContentTypeCountsAsJson() {
        TestResponse response = client().send(client().request("/users")
                .header("Content-Type", "application/vnd.spindle+json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\",\"age\":1}")));

        assertThat(response).hasStatus(201);
    }
}
