package dev.spindle.test;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Config;
import dev.spindle.http.Spindle;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A Spindle app started on a free port of 127.0.0.1 for a test, with a client bound to it.
 * Configuration starts from the defaults only (the environment does not leak into tests), with
 * signal handling off; add settings with {@link #builder()}.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(app -> app.get("/hi", ctx -> Response.text("hi").completed()))) {
 *     assertThat(server.client().get("/hi").body()).isEqualTo("hi");
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {

    private final Spindle app;
    private final TestClient client;

    private TestServer(Spindle app) {
        this.app = app;
        this.client = new TestClient(URI.create("http://127.0.0.1:" + app.port()));
    }

    /** Starts an app with default test settings, declared by {@code routes}. */
    public static TestServer start(Consumer<Spindle> routes) {
        return builder().start(routes);
    }

    /** A builder for settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The running app. */
    public Spindle app() {
        return app;
    }

    /** The bound port. */
    public int port() {
        return app.port();
    }

    /** A client for this server (no cookie jar). */
    public TestClient client() {
        return client;
    }

    /** A client for this server when it serves HTTPS, trusting what {@code trust} trusts. */
    public TestClient httpsClient(SSLContext trust) {
        return TestClient.https(URI.create("https://127.0.0.1:" + app.port()), trust);
    }

    /** A raw connection, for what an HTTP client library will not send (pipelining, bad framing). */
    public RawHttp raw() {
        return RawHttp.connect(app.port());
    }

    /** Stops with a short grace period. */
    @Override
    public void close() {
        app.stop(Duration.ofSeconds(5));
    }

    /** Configures and starts a {@link TestServer}. */
    public static final class Builder {

        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
            settings.put("server.host", "127.0.0.1");
            settings.put("server.port", "0");
            settings.put("shutdown.on-signal", "false");
        }

        /** Sets a configuration key, e.g. {@code set("http.max-body-size", "1KiB")}. */
        public Builder set(String key, String value) {
            settings.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
            return this;
        }

        /** The configuration the app will get. */
        public Config config() {
            Config.Builder config = Config.builder();
            settings.forEach(config::set);
            return config.build();
        }

        /** Creates the app, lets {@code routes} declare on it, and starts it. */
        public TestServer start(Consumer<Spindle> routes) {
            Spindle app = Spindle.create(config());
            routes.accept(app);
            app.start();
            return new TestServer(app);
        }
    }
}
