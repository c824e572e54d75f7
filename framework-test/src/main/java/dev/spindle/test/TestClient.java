package dev.spindle.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * A blocking HTTP client bound to one server, on the JDK {@link HttpClient}: HTTP/1.1 unless
 * asked for HTTP/2 ({@link #http2()}). Every call has a 30-second timeout so a broken server
 * fails a test instead of hanging it.
 *
 * <pre>{@code
 * TestResponse created = client.post("/users", "{\"name\":\"Ada\"}");
 * TestClient browser = client.withCookies();   // keeps cookies across calls, like a browser
 * }</pre>
 */
public final class TestClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final SSLContext tls;
    private final HttpClient.Version version;
    private final HttpClient http;

    TestClient(URI base) {
        this(base, null, HttpClient.Version.HTTP_1_1);
    }

    private TestClient(URI base, SSLContext tls, HttpClient.Version version) {
        this(base, tls, version, builder(tls, version).build());
    }

    private TestClient(URI base, SSLContext tls, HttpClient.Version version, HttpClient http) {
        this.base = base;
        this.tls = tls;
        this.version = version;
        this.http = http;
    }

    /** A client for the HTTPS server at {@code base} that trusts the certificates {@code trust} trusts. */
    public static TestClient https(URI base, SSLContext trust) {
        return new TestClient(base, trust, HttpClient.Version.HTTP_1_1);
    }

    /** A client for a server at {@code base} whose certificate is self-signed (trusted without checks). */
    static TestClient selfSigned(URI base) {
        return new TestClient(base, TrustAnything.context(), HttpClient.Version.HTTP_1_1);
    }

    private static HttpClient.Builder builder(SSLContext tls, HttpClient.Version version) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(version).connectTimeout(TIMEOUT);
        return tls == null ? builder : builder.sslContext(tls);
    }

    /**
     * The same server over HTTP/2: chosen through ALPN on HTTPS, reached with {@code Upgrade: h2c}
     * on the first request on cleartext (the JDK client does not do prior knowledge). A response
     * that comes back over HTTP/1.1 instead fails the call, so a suite run over HTTP/2 cannot
     * quietly fall back.
     */
    public TestClient http2() {
        return new TestClient(base, tls, HttpClient.Version.HTTP_2);
    }

    /** A client for the same server with its own cookie jar. */
    public TestClient withCookies() {
        return new TestClient(base, tls, version, builder(tls, version).cookieHandler(new CookieManager()).build());
    }

    /** The server's base URI, e.g. {@code http://127.0.0.1:41234}. */
    public URI base() {
        return base;
    }

    /** The absolute URI of {@code path}. */
    public URI uri(String path) {
        return base.resolve(path);
    }

    /** A request builder for {@code path}, with the timeout set. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
    }

    /** GET with optional header name/value pairs. */
    public TestResponse get(String path, String... headers) {
        return send(request(path).GET(), headers);
    }

    /** POST a JSON body. */
    public TestResponse post(String path, String json, String... headers) {
        return send(withJson(request(path), json).POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    /** PUT a JSON body. */
    public TestResponse put(String path, String json, String... headers) {
        return send(withJson(request(path), json).PUT(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    /** PATCH a JSON body. */
    public TestResponse patch(String path, String json, String... headers) {
        return send(withJson(request(path), json).method("PATCH", HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    /** DELETE. */
    public TestResponse delete(String path, String... headers) {
        return send(request(path).DELETE(), headers);
    }

    /** Any method without a body, e.g. {@code HEAD} or {@code OPTIONS}. */
    public TestResponse method(String method, String path, String... headers) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()), headers);
    }

    /** Sends a prepared request. */
    public TestResponse send(HttpRequest.Builder request, String... headers) {
        try {
            return checked(new TestResponse(http.send(withHeaders(request, headers).build(),
                    HttpResponse.BodyHandlers.ofByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Sends a prepared request without waiting. */
    public CompletableFuture<TestResponse> sendAsync(HttpRequest.Builder request, String... headers) {
        return http.sendAsync(withHeaders(request, headers).build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> checked(new TestResponse(response)));
    }

    /** GET without waiting. */
    public CompletableFuture<TestResponse> getAsync(String path, String... headers) {
        return sendAsync(request(path).GET(), headers);
    }

    private TestResponse checked(TestResponse response) {
        if (version == HttpClient.Version.HTTP_2 && response.raw().version() != HttpClient.Version.HTTP_2) {
            throw new AssertionError("Asked for HTTP/2 but the answer came over " + response.raw().version() + ": " + response);
        }
        return response;
    }

    private static HttpRequest.Builder withJson(HttpRequest.Builder request, String json) {
        return request.header("Content-Type", "application/json");
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers: expected name/value pairs");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return request;
    }
}
