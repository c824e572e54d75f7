package dev.spindle.test;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Spindle;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts an app on a free port for a test class (as a {@code static} field) or for each test
 * (as an instance field), and stops it afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SpindleExtension server = SpindleExtension.of(app ->
 *         app.get("/hello/{name}", ctx -> Response.text("Hello " + ctx.pathParam("name")).completed()));
 *
 * @Test
 * void greets() {
 *     assertThat(server.client().get("/hello/ada")).hasStatus(200).hasBody("Hello ada");
 * }
 * }</pre>
 */
public final class SpindleExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private final TestServer.Builder builder = TestServer.builder();
    private final Consumer<Spindle> routes;
    private TestServer server;
    private TestServer httpsTwin;
    private boolean perClass;

    private SpindleExtension(Consumer<Spindle> routes) {
        this.routes = requireNonNull(routes, "routes");
    }

    /** An extension whose app is declared by {@code routes}. */
    public static SpindleExtension of(Consumer<Spindle> routes) {
        return new SpindleExtension(routes);
    }

    /** Sets a configuration key before start. */
    public SpindleExtension set(String key, String value) {
        builder.set(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        server = builder.start(routes);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            server = builder.start(routes);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void stop() {
        if (httpsTwin != null) {
            httpsTwin.close();
            httpsTwin = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server. */
    public TestServer server() {
        if (server == null) {
            throw new IllegalStateException("The server runs only while a test does");
        }
        return server;
    }

    /** The running app. */
    public Spindle app() {
        return server().app();
    }

    /** The bound port. */
    public int port() {
        return server().port();
    }

    /** A client for the server. */
    public TestClient client() {
        return server().client();
    }

    /**
     * A client speaking {@code protocol}. For {@link Protocol#H2} a twin of the server (same
     * routes and settings, plus a self-signed certificate) is started on first use and stopped
     * with the server.
     */
    public TestClient client(Protocol protocol) {
        return server(protocol).client(protocol);
    }

    /**
     * The server that {@link #client(Protocol)} talks to: the server itself, or for
     * {@link Protocol#H2} its HTTPS twin (whose app has its own metrics).
     */
    public TestServer server(Protocol protocol) {
        TestServer cleartext = server();
        if (protocol != Protocol.H2) {
            return cleartext;
        }
        if (httpsTwin == null) {
            httpsTwin = builder.copy().set("server.tls.self-signed", "true").start(routes);
        }
        return httpsTwin;
    }

    /** A new raw connection to the server. */
    public RawHttp raw() {
        return server().raw();
    }
}
