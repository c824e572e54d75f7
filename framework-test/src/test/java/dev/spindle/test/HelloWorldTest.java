package dev.spindle.test;

import static dev.spindle.test.SpindleAssertions.assertThat;

import dev.spindle.http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HelloWorldTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app ->
            app.get("/hello/{name}", ctx -> Response.text("Hello " + ctx.pathParam("name")).completed()));

    @Test
    void greetsByName() {
        assertThat(server.client().get("/hello/ada")).hasStatus(200).hasBody("Hello ada")
                .hasContentType("text/plain");
    }

    @Test
    void unknownPathIsAProblem() {
        assertThat(server.client().get("/nope")).isProblem(404);
    }
}
