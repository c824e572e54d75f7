package dev.spindle.sample;

import dev.spindle.http.Response;
import dev.spindle.http.Spindle;

/** The sample service. */
public final class SampleApp {

    private SampleApp() {}

    /** Starts the service with the configuration from the environment. */
    public static void main(String[] args) {
        Spindle app = Spindle.create();
        app.get("/hello/{name}", ctx -> Response.text("Hello " + ctx.pathParam("name")).completed());
        app.start();
    }
}
