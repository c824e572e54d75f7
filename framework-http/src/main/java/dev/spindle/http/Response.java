package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;

/**
 * An HTTP response: status, headers, cookies and a body. Immutable: every {@code with}-style
 * method returns a copy, so a constant response can be shared by all requests.
 *
 * <pre>{@code
 * app.post("/users", ctx -> ctx.bodyAs(NewUser.class)
 *         .thenCompose(users::create)
 *         .thenApply(user -> Response.json(user).status(201).header("Location", "/users/" + user.id())));
 * }</pre>
 */
public final class Response {

    /** {@code text/plain; charset=utf-8}. */
    public static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    /** {@code text/html; charset=utf-8}. */
    public static final String TEXT_HTML = "text/html; charset=utf-8";
    /** {@code application/json}. */
    public static final String APPLICATION_JSON = "application/json";
    /** {@code application/problem+json} (RFC 9457). */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** {@code application/octet-stream}. */
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final String[] NO_HEADERS = new String[0];
    private static final Cookie[] NO_COOKIES = new Cookie[0];

    private final int status;
    private final String contentType;
    private final Body body;
    private final String[] headers;
    private final Cookie[] cookies;
    private volatile CompletionStage<Response> completed;

    private Response(int status, String contentType, Body body, String[] headers, Cookie[] cookies) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.headers = headers;
        this.cookies = cookies;
    }

    /** A UTF-8 {@code text/plain} response with status 200. */
    public static Response text(String text) {
        return new Response(200, TEXT_PLAIN, new Body.Text(requireNonNull(text, "text")), NO_HEADERS, NO_COOKIES);
    }

    /** A UTF-8 {@code text/html} response with status 200. */
    public static Response html(String html) {
        return new Response(200, TEXT_HTML, new Body.Text(requireNonNull(html, "html")), NO_HEADERS, NO_COOKIES);
    }

    /** A JSON response with status 200; {@code value} is serialised with the app's JSON mapper when written. */
    public static Response json(Object value) {
        return new Response(200, APPLICATION_JSON, new Body.Json(requireNonNull(value, "value")), NO_HEADERS,
                NO_COOKIES);
    }

    /** Raw bytes with the given content type and status 200. The array must not change afterwards. */
    public static Response bytes(byte[] bytes, String contentType) {
        return new Response(200, checkValue("Content-Type", contentType), new Body.Bytes(requireNonNull(bytes, "bytes")),
                NO_HEADERS, NO_COOKIES);
    }

    /** A response without a body, e.g. {@code Response.empty(204)}. */
    public static Response empty(int status) {
        return new Response(checkStatus(status), null, Body.Empty.INSTANCE, NO_HEADERS, NO_COOKIES);
    }

    /** A {@code 302 Found} redirect to {@code location}. */
    public static Response redirect(String location) {
        return redirect(302, location);
    }

    /** A redirect with a 3xx status such as 301, 303, 307 or 308. */
    public static Response redirect(int status, String location) {
        if (status < 300 || status > 399) {
            throw new IllegalArgumentException("status: " + status + " (expected: 300-399)");
        }
        return empty(status).header("Location", location);
    }

    /**
     * A streamed response of unknown length (chunked): chunks are requested from {@code chunks}
     * only as fast as the client reads, so a slow client never makes the server buffer the whole
     * body. Each {@link ByteBuffer} is handed over and must not be reused by the publisher.
     *
     * <pre>{@code
     * app.get("/export", ctx -> Response.stream(rowsAsCsv(), "text/csv").completed());
     * }</pre>
     */
    public static Response stream(Flow.Publisher<ByteBuffer> chunks, String contentType) {
        return new Response(200, checkValue("Content-Type", contentType), new Body.Stream(requireNonNull(chunks,
                "chunks")), NO_HEADERS, NO_COOKIES);
    }

    /**
     * A file, sent with its length and, where the connection allows, zero-copy ({@code sendfile}).
     * The file is opened off the event loop; a missing file is a 404 problem.
     */
    public static Response file(Path file, String contentType) {
        return new Response(200, checkValue("Content-Type", contentType), new Body.File(requireNonNull(file, "file")),
                NO_HEADERS, NO_COOKIES);
    }

    /**
     * {@code length} bytes of a file from {@code offset}, zero-copy like {@link #file(Path, String)};
     * what a static-file handler sends as the body of a 206 answer.
     */
    public static Response file(Path file, long offset, long length, String contentType) {
        if (length < 0) {
            throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
        }
        return new Response(200, checkValue("Content-Type", contentType), new Body.File(requireNonNull(file, "file"),
                offset, length), NO_HEADERS, NO_COOKIES);
    }

    /** An RFC 9457 problem response; the request id is filled in when written. */
    public static Response problem(Problem problem) {
        return new Response(problem.status(), PROBLEM_JSON, new Body.Json(problem), NO_HEADERS, NO_COOKIES);
    }

    /** A response with any body; used by the framework and by middleware that rewrites bodies. */
    public static Response of(int status, String contentType, Body body) {
        return new Response(checkStatus(status), contentType == null ? null : checkValue("Content-Type", contentType),
                requireNonNull(body, "body"), NO_HEADERS, NO_COOKIES);
    }

    /**
     * This response as an already-completed stage, cached so constant responses cost nothing per
     * request. The stage cannot be completed, cancelled or obtruded: it is safe to share.
     */
    public CompletionStage<Response> completed() {
        CompletionStage<Response> stage = completed;
        if (stage == null) {
            stage = new Completed<>(this);
            completed = stage;
        }
        return stage;
    }

    /** A completed future that refuses every way of changing it, so one instance can serve all requests. */
    private static final class Completed<T> extends CompletableFuture<T> {

        Completed(T value) {
            super.complete(value);
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }

        @Override
        public boolean complete(T value) {
            throw new UnsupportedOperationException("A shared completed response cannot be completed again");
        }

        @Override
        public boolean completeExceptionally(Throwable failure) {
            throw new UnsupportedOperationException("A shared completed response cannot fail");
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public void obtrudeValue(T value) {
            throw new UnsupportedOperationException("A shared completed response cannot be changed");
        }

        @Override
        public void obtrudeException(Throwable failure) {
            throw new UnsupportedOperationException("A shared completed response cannot be changed");
        }

        @Override
        public CompletableFuture<T> completeAsync(java.util.function.Supplier<? extends T> supplier,
                                                  java.util.concurrent.Executor executor) {
            throw new UnsupportedOperationException("A shared completed response cannot be completed again");
        }

        @Override
        public CompletableFuture<T> orTimeout(long timeout, java.util.concurrent.TimeUnit unit) {
            return this;
        }

        @Override
        public CompletableFuture<T> completeOnTimeout(T value, long timeout, java.util.concurrent.TimeUnit unit) {
            return this;
        }
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** A copy with another status code (100-599). */
    public Response status(int status) {
        return new Response(checkStatus(status), contentType, body, headers, cookies);
    }

    /** The content type, if the response has one. */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /** A copy with another content type. */
    public Response contentType(String contentType) {
        return new Response(status, checkValue("Content-Type", contentType), body, headers, cookies);
    }

    /** The body. */
    public Body body() {
        return body;
    }

    /**
     * A copy with one more header. {@code Content-Length}, {@code Date} and {@code Connection}
     * are the framework's to set and are refused here.
     */
    public Response header(String name, String value) {
        checkName(name);
        checkValue(name, value);
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("content-length") || lower.equals("date") || lower.equals("connection")
                || lower.equals("transfer-encoding")) {
            throw new IllegalArgumentException("header: " + name + " (set by the framework)");
        }
        if (lower.equals("content-type")) {
            return contentType(value);
        }
        String[] more = Arrays.copyOf(headers, headers.length + 2);
        more[headers.length] = name;
        more[headers.length + 1] = value;
        return new Response(status, contentType, body, more, cookies);
    }

    /** The first value of a header set on this response (not counting {@code Content-Type}). */
    public Optional<String> header(String name) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return Optional.of(headers[i + 1]);
            }
        }
        return Optional.empty();
    }

    /** Calls {@code action} with each header name and value, in the order they were added. */
    public void forEachHeader(BiConsumer<String, String> action) {
        for (int i = 0; i < headers.length; i += 2) {
            action.accept(headers[i], headers[i + 1]);
        }
    }

    /** A copy that sets a cookie. */
    public Response cookie(Cookie cookie) {
        Cookie[] more = Arrays.copyOf(cookies, cookies.length + 1);
        more[cookies.length] = requireNonNull(cookie, "cookie");
        return new Response(status, contentType, body, headers, more);
    }

    /** The cookies this response sets. */
    public List<Cookie> cookies() {
        return cookies.length == 0 ? List.of() : List.of(cookies);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(String.valueOf(status));
        if (contentType != null) {
            parts.add(contentType);
        }
        parts.add(body.getClass().getSimpleName());
        return "Response" + parts;
    }

    private static int checkStatus(int status) {
        // 1xx are interim answers (RFC 9110 15.2) the framework sends itself; a handler's answer is final.
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 200-599, a final status)");
        }
        return status;
    }

    private static void checkName(String name) {
        requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("header name: empty (expected: a token)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("header name: " + name + " (expected: a token)");
            }
        }
    }

    private static String checkValue(String name, String value) {
        requireNonNull(value, name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(name + ": contains CR, LF or NUL (expected: a single-line value)");
            }
        }
        return value;
    }

    /** What a response carries. */
    public sealed interface Body {

        /** No body. */
        enum Empty implements Body { INSTANCE }

        /** Bytes sent as they are. */
        record Bytes(byte[] bytes) implements Body {}

        /** Text sent as UTF-8. */
        record Text(String text) implements Body {
            /** The UTF-8 bytes, encoded afresh on each call (what the framework writes). */
            public byte[] utf8() {
                return text.getBytes(StandardCharsets.UTF_8);
            }
        }

        /** A value serialised as JSON by the app's mapper when the response is written. */
        record Json(Object value) implements Body {}

        /** Chunks pulled from a publisher as the client reads them. */
        record Stream(Flow.Publisher<ByteBuffer> chunks) implements Body {}

        /**
         * A file sent from disk: {@code length} bytes from {@code offset}, or (length -1) all of it
         * from {@code offset}; a 206 answer to a {@code Range} request sends one region.
         */
        record File(Path path, long offset, long length) implements Body {

            /** Checks the region where it enters. */
            public File {
                requireNonNull(path, "path");
                if (offset < 0 || length < -1) {
                    throw new IllegalArgumentException("region: offset " + offset + ", length " + length
                            + " (expected: offset >= 0, length >= 0 or -1 for the rest of the file)");
                }
            }

            /** The whole file. */
            public File(Path path) {
                this(path, 0, -1);
            }
        }
    }
}
