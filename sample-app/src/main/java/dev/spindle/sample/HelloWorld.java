package dev.spindle.sample;

// The README quotes the lines between the markers; ReadmeTest fails when the two differ.
// README:start
import dev.spindle.http.Response;
import dev.spindle.http.Spindle;

public final class HelloWorld {
    public static void main(String[] args) {
        Spindle app = Spindle.create();
        app.get("/hello/{name}", ctx -> Response.text("Hello " + ctx.pathParam("name")).completed());
        app.start();
    }
}
// README:end
