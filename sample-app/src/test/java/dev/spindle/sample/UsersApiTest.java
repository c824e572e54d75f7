package dev.spindle.sample;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestClient;
import dev.spindle.test.TestResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class UsersApiTest {

    private static final String KEY = "test-key";

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(SampleApp::install)
            .set("sample.api-key", KEY)
            .set("sample.instance-id", "test-1")
            .set("sample.password-iterations", "1000");

    private static TestClient client() {
        return server.client();
    }

    private static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    private static String newUser(String name, String email, String password) {
        return "{\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }

    private static JsonNode create(String email) {
        TestResponse created = client().post("/api/v1/users", newUser("Ada", email, "correct horse"), "X-Api-Key", KEY);
        assertThat(created).hasStatus(201);
        return created.json();
    }

    @Test
    void createsAUserAndServesItAtItsLocation() {
        String email = uniqueEmail();
        TestResponse created = client().post("/api/v1/users", newUser("  Ada Lovelace ", email.toUpperCase(), "correct horse"),
                "X-Api-Key", KEY);

        assertThat(created).hasStatus(201).hasContentType("application/json");
        String id = created.json().get("id").asString();
        assertThat(created.header("Location")).contains("/api/v1/users/" + id);
        assertThat(created.json().get("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(created.json().get("email").asString()).isEqualTo(email);
        assertThat(created.body()).doesNotContain("password", "pbkdf2");

        TestResponse found = client().get(created.header("Location").orElseThrow());
        assertThat(found).hasStatus(200);
        assertThat(found.json()).isEqualTo(created.json());
    }

    @Test
    void refusesWritesWithoutTheApiKey() {
        assertThat(client().post("/api/v1/users", newUser("Ada", uniqueEmail(), "correct horse")))
                .isProblem(401).hasHeader("WWW-Authenticate", "ApiKey header=\"X-Api-Key\"");
        assertThat(client().post("/api/v1/users", newUser("Ada", uniqueEmail(), "correct horse"), "X-Api-Key", "guess"))
                .isProblem(403);
        assertThat(client().delete("/api/v1/users/anything")).isProblem(401);
    }

    @Test
    void readsNeedNoApiKey() {
        assertThat(client().get("/api/v1/users")).hasStatus(200);
    }

    @Test
    void answersInvalidFieldsWithOneProblemListingEachOfThem() {
        TestResponse response = client().post("/api/v1/users", newUser(" ", "not-an-address", "short"), "X-Api-Key", KEY);

        assertThat(response).isProblem(400).hasDetailContaining("3 fields are invalid");
        List<String> fields = response.json().get("errors").valueStream().map(error -> error.get("field").asString())
                .toList();
        assertThat(fields).containsExactly("email", "name", "password");
    }

    @Test
    void answersMalformedJsonAndAJsonNullWith400() {
        assertThat(client().post("/api/v1/users", "{\"name\":", "X-Api-Key", KEY)).isProblem(400);
        assertThat(client().post("/api/v1/users", "null", "X-Api-Key", KEY)).isProblem(400)
                .hasDetailContaining("1 field is invalid");
    }

    @Test
    void mapsAnUnknownUserToA404Problem() {
        assertThat(client().get("/api/v1/users/" + UUID.randomUUID())).isProblem(404).hasDetailContaining("No user with id");
    }

    @Test
    void refusesASecondUserWithTheSameEmailWith409() {
        String email = uniqueEmail();
        create(email);

        assertThat(client().post("/api/v1/users", newUser("Other", email, "another secret"), "X-Api-Key", KEY))
                .isProblem(409).hasDetailContaining(email);
    }

    @Test
    void replacesAProfile() {
        String id = create(uniqueEmail()).get("id").asString();
        String email = uniqueEmail();

        TestResponse updated = client().put("/api/v1/users/" + id, "{\"name\":\"Ada K.\",\"email\":\"" + email + "\"}",
                "X-Api-Key", KEY);

        assertThat(updated).hasStatus(200);
        assertThat(updated.json().get("name").asString()).isEqualTo("Ada K.");
        assertThat(client().get("/api/v1/users/" + id).json().get("email").asString()).isEqualTo(email);
    }

    @Test
    void updatingAnUnknownUserIsA404() {
        assertThat(client().put("/api/v1/users/nobody", "{\"name\":\"A\",\"email\":\"a@example.com\"}", "X-Api-Key", KEY))
                .isProblem(404);
    }

    @Test
    void deletesAUserOnce() {
        String id = create(uniqueEmail()).get("id").asString();

        assertThat(client().delete("/api/v1/users/" + id, "X-Api-Key", KEY)).hasStatus(204);
        assertThat(client().get("/api/v1/users/" + id)).isProblem(404);
        assertThat(client().delete("/api/v1/users/" + id, "X-Api-Key", KEY)).isProblem(404);
    }

    @Test
    void listsUsersInCreationOrderPageByPage() {
        String first = create(uniqueEmail()).get("id").asString();
        String second = create(uniqueEmail()).get("id").asString();

        JsonNode all = client().get("/api/v1/users?limit=100").json();
        List<String> ids = all.get("users").valueStream().map(user -> user.get("id").asString()).toList();
        assertThat(ids).containsSubsequence(first, second);
        assertThat(all.get("total").asInt()).isEqualTo(ids.size());

        int index = ids.indexOf(second);
        JsonNode page = client().get("/api/v1/users?limit=1&offset=" + index).json();
        assertThat(page.get("users").get(0).get("id").asString()).isEqualTo(second);
    }

    @Test
    void refusesPageSizesOutOfRange() {
        assertThat(client().get("/api/v1/users?limit=0")).isProblem(400);
        assertThat(client().get("/api/v1/users?limit=101")).isProblem(400);
        assertThat(client().get("/api/v1/users?offset=-1")).isProblem(400);
        assertThat(client().get("/api/v1/users?limit=ten")).isProblem(400);
    }

    @Test
    void logsInWithTheRightPasswordOnly() {
        String email = uniqueEmail();
        String id = create(email).get("id").asString();

        TestResponse ok = client().post("/api/v1/login", "{\"email\":\"" + email + "\",\"password\":\"correct horse\"}");
        assertThat(ok).hasStatus(200);
        assertThat(ok.json().get("id").asString()).isEqualTo(id);

        assertThat(client().post("/api/v1/login", "{\"email\":\"" + email + "\",\"password\":\"wrong horse\"}"))
                .isProblem(401);
        assertThat(client().post("/api/v1/login", "{\"email\":\"" + uniqueEmail() + "\",\"password\":\"correct horse\"}"))
                .isProblem(401).hasDetailContaining("Wrong e-mail address or password");
    }

    @Test
    void timesApiResponsesAndNamesTheInstance() {
        TestResponse response = client().get("/api/v1/users");

        assertThat(response.header("Server-Timing")).hasValueSatisfying(value -> assertThat(value).matches("app;dur=\\d+\\.\\d{3}"));
        assertThat(response).hasHeader("X-Instance-Id", "test-1");
    }
}
