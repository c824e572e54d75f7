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
    private final boolean selfSigned;
    private final TestClient client;
    private TestClient http2Client;

    private TestServer(Spindle app, boolean selfSigned) {
        this.app = app;
        this.selfSigned = selfSigned;
        this.client = selfSigned ? TestClient.selfSigned(URI.create("https://127.0.0.1:" + app.port()))
                : new TestClient(URI.create("http://127.0.0.1:" + app.port()));
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

    /**
     * A client for this server (no cookie jar), over HTTP/1.1; over HTTPS when the server has a
     * self-signed certificate ({@code server.tls.self-signed=true}).
     */
    public TestClient client() {
        return client;
    }

    /**
     * A client speaking {@code protocol}: {@link Protocol#H2} needs an HTTPS server (self-signed),
     * the others a cleartext one.
     */
    public TestClient client(Protocol protocol) {
        if ((protocol == Protocol.H2) != selfSigned) {
            throw new IllegalArgumentException(protocol + " needs " + (selfSigned ? "a cleartext" : "an HTTPS")
                    + " server; start one with server.tls.self-signed=" + !selfSigned);
        }
        if (protocol == Protocol.HTTP_1_1) {
            return client;
        }
        synchronized (this) {
            // One client, so its connection (upgraded once, on cleartext) carries every request.
            if (http2Client == null) {
                http2Client = client.http2();
            }
            return http2Client;
        }
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

        /** A copy of this builder, to start a twin of a server with a setting changed. */
        Builder copy() {
            Builder copy = new Builder();
            copy.settings.putAll(settings);
            return copy;
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
            return new TestServer(app, Boolean.parseBoolean(settings.get("server.tls.self-signed")));
        }
    }
}
