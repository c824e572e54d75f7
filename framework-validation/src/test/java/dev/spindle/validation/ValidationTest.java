package dev.spindle.validation;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class ValidationTest {

    record Address(@NotBlank String city) {}

    record NewUser(@NotBlank @Size(max = 10) String name, @NotNull @Email String email,
                   @NotNull @Size(min = 8, max = 128) String password, @Valid Address address) {}

    record Page(@Min(1) @Max(100) int limit, @PositiveOrZero int offset) {}

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        Validation validation = Validation.install(app, NewUser.class, Page.class);
        app.post("/users", ctx -> validation.body(ctx, NewUser.class)
                .thenApply(user -> Response.json(Map.of("name", user.name())).status(201)));
        app.get("/users", ctx -> {
            Page page = validation.check(new Page(ctx.queryParam("limit", Integer.class).orElse(20),
                    ctx.queryParam("offset", Integer.class).orElse(0)));
            return Response.json(Map.of("limit", page.limit())).completed();
        });
    });

    @Test
    void aValidBodyReachesTheHandler() {
        assertThat(server.client().post("/users",
                "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"password\":\"correct horse\",\"address\":{\"city\":\"London\"}}"))
                .hasStatus(201);
    }

    @Test
    void everyInvalidFieldIsListedInOneProblem() {
        TestResponse response = server.client().post("/users",
                "{\"name\":\"\",\"email\":\"not-an-address\",\"password\":\"short\",\"address\":{\"city\":\" \"}}");

        assertThat(response).hasStatus(400).hasContentType("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.get("detail").asString()).isEqualTo("4 fields are invalid");
        assertThat(body.get("instance").asString()).isEqualTo("/users");
        assertThat(body.get("requestId").asString()).isEqualTo(response.header("X-Request-Id").orElseThrow());
        List<String> errors = body.get("errors").valueStream()
                .map(error -> error.get("field").asString() + ": " + error.get("message").asString()).toList();
        assertThat(errors).containsExactly(
                "address.city: must not be blank",
                "email: must be a well-formed email address",
                "name: must not be blank",
                "password: size must be between 8 and 128");
    }

    @Test
    void aNullBodyIsOneInvalidField() {
        TestResponse response = server.client().post("/users", "null");

        assertThat(response).hasStatus(400);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("body");
    }

    @Test
    void malformedJsonIsStillTheBindingProblem() {
        assertThat(server.client().post("/users", "{\"name\":")).isProblem(400);
    }

    @Test
    void queryParametersAreValidatedThroughABean() {
        TestResponse response = server.client().get("/users?limit=500&offset=-1");

        assertThat(response).hasStatus(400);
        assertThat(response.json().get("errors").valueStream().map(error -> error.get("field").asString()))
                .containsExactly("limit", "offset");
        assertThat(server.client().get("/users?limit=5")).hasStatus(200);
    }
}
