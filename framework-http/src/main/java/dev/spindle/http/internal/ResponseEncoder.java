package dev.spindle.http.internal;

import dev.spindle.http.Cookie;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a {@link Response} into a Netty response with correct framing: {@code Content-Length}
 * (none for 1xx, 204 and 304), {@code Date}, {@code X-Request-Id}, {@code Connection}, cookies,
 * gzip when it pays, and no body for HEAD. Header and cookie values are checked when a
 * {@code Response} is built, so the Netty headers here skip validation.
 */
final class ResponseEncoder {

    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached(Response.TEXT_PLAIN);
    private static final AsciiString APPLICATION_JSON = AsciiString.cached(Response.APPLICATION_JSON);
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final JsonCodec json;
    private final boolean gzip;
    private final int gzipMinSize;

    ResponseEncoder(ServerContext server) {
        this.json = server.json;
        this.gzip = server.gzip;
        this.gzipMinSize = server.gzipMinSize;
    }

    private static final AsciiString[] SMALL_LENGTHS = new AsciiString[4096];

    /** The Content-Length value; small ones are formatted once and reused (no String per response). */
    private static CharSequence contentLength(int length) {
        if (length >= SMALL_LENGTHS.length) {
            return Integer.toString(length);
        }
        AsciiString cached = SMALL_LENGTHS[length];
        if (cached == null) {
            cached = AsciiString.cached(Integer.toString(length));
            SMALL_LENGTHS[length] = cached;
        }
        return cached;
    }

    /** Whether a response with {@code status} may carry a body (not 1xx, 204 or 304). */
    static boolean bodyAllowed(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    FullHttpResponse encode(Response response, Exchange exchange, ByteBufAllocator alloc, boolean keepAlive) {
        int status = response.status();
        boolean bodyAllowed = bodyAllowed(status);
        HttpHeaders headers = HEADERS.newHeaders();
        String contentType = response.contentType().orElse(null);
        if (contentType != null && bodyAllowed) {
            headers.add(HttpHeaderNames.CONTENT_TYPE, contentTypeValue(contentType));
        }
        addCommonHeaders(headers, response, exchange, keepAlive);
        // Serialising may throw; nothing pooled is held until it succeeded.
        ByteBuf content = bodyAllowed ? content(response, exchange) : Unpooled.EMPTY_BUFFER;
        if (bodyAllowed && gzip && content.readableBytes() >= gzipMinSize && compressible(contentType)
                && response.header("Content-Encoding").isEmpty()) {
            headers.add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
            if (exchange.acceptsGzip()) {
                content = gzip(content, alloc);
                headers.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            }
        }
        if (bodyAllowed) {
            headers.add(HttpHeaderNames.CONTENT_LENGTH, contentLength(content.readableBytes()));
        }
        if (exchange.isHead() && content.isReadable()) {
            content.release();
            content = Unpooled.EMPTY_BUFFER;
        }
        return new DefaultFullHttpResponse(exchange.version(), HttpResponseStatus.valueOf(status), content, headers,
                EmptyHttpHeaders.INSTANCE);
    }

    /**
     * The head of a response whose body is written separately: a file of known length, or a
     * stream ({@code contentLength} -1), chunked on HTTP/1.1 and delimited by closing on HTTP/1.0
     * (the caller then passes {@code keepAlive} false).
     */
    HttpResponse encodeHead(Response response, Exchange exchange, boolean keepAlive, long contentLength) {
        HttpHeaders headers = HEADERS.newHeaders();
        response.contentType().ifPresent(type -> headers.set(HttpHeaderNames.CONTENT_TYPE, contentTypeValue(type)));
        if (contentLength >= 0) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        } else if (exchange.version() != HttpVersion.HTTP_1_0) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        addCommonHeaders(headers, response, exchange, keepAlive);
        HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
        return exchange.isHead() ? new BodilessResponse(exchange.version(), status, headers)
                : new DefaultHttpResponse(exchange.version(), status, headers);
    }

    private static void addCommonHeaders(HttpHeaders headers, Response response, Exchange exchange, boolean keepAlive) {
        headers.add(HttpHeaderNames.DATE, DateHeader.now());
        headers.add(X_REQUEST_ID, exchange.requestId());
        response.forEachHeader((name, value) -> {
            // The framework's request id is the one the logs carry: a handler's copy would only duplicate it.
            if (!X_REQUEST_ID.contentEqualsIgnoreCase(name)) {
                headers.add(name, value);
            }
        });
        for (Cookie cookie : response.cookies()) {
            headers.add(HttpHeaderNames.SET_COOKIE, encode(cookie));
        }
        if (!keepAlive) {
            headers.add(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (exchange.version() == HttpVersion.HTTP_1_0) {
            headers.add(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    private static CharSequence contentTypeValue(String contentType) {
        if (contentType == Response.TEXT_PLAIN) {
            return TEXT_PLAIN;
        }
        if (contentType == Response.APPLICATION_JSON) {
            return APPLICATION_JSON;
        }
        return contentType;
    }

    private ByteBuf content(Response response, Exchange exchange) {
        Response.Body body = response.body();
        // Heap arrays wrapped, not pooled buffers: the HTTP encoder copies a small body next to
        // the headers anyway, so a pooled buffer here would be a second allocation per response.
        if (body instanceof Response.Body.Text text) {
            return Unpooled.wrappedBuffer(text.utf8());
        }
        if (body instanceof Response.Body.Json value) {
            Object payload = value.value();
            if (payload instanceof Problem problem) {
                payload = problem.forRequest(exchange.requestId(), exchange.path());
            }
            return Unpooled.wrappedBuffer(json.writeBytes(payload));
        }
        if (body instanceof Response.Body.Bytes bytes) {
            return Unpooled.wrappedBuffer(bytes.bytes());
        }
        return Unpooled.EMPTY_BUFFER;
    }

    private static String encode(Cookie cookie) {
        DefaultCookie netty = new DefaultCookie(cookie.name(), cookie.value());
        netty.setPath(cookie.path());
        netty.setHttpOnly(cookie.httpOnly());
        netty.setSecure(cookie.secure());
        netty.setSameSite(io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite.valueOf(
                cookie.sameSite().name().charAt(0) + cookie.sameSite().name().substring(1).toLowerCase(Locale.ROOT)));
        cookie.domainAttribute().ifPresent(netty::setDomain);
        cookie.maxAgeAttribute().ifPresent(maxAge -> netty.setMaxAge(maxAge.toSeconds()));
        return ServerCookieEncoder.STRICT.encode(netty);
    }

    /**
     * The head of an answer to HEAD whose body would have been streamed or sent from a file: the
     * headers announce the body ({@code Content-Length} or chunked) but none follows, which
     * {@link Http1Encoder} knows from this type.
     */
    static final class BodilessResponse extends DefaultFullHttpResponse {
        BodilessResponse(HttpVersion version, HttpResponseStatus status, HttpHeaders headers) {
            super(version, status, Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
        }
    }

    private static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("javascript") || type.startsWith("image/svg");
    }

    private static ByteBuf gzip(ByteBuf content, ByteBufAllocator alloc) {
        ByteBuf compressed = alloc.buffer(Math.max(64, content.readableBytes() / 3));
        try (GZIPOutputStream out = new GZIPOutputStream(new ByteBufOutputStream(compressed), 8192)) {
            content.readBytes(out, content.readableBytes());
        } catch (IOException e) {
            compressed.release();
            throw new UncheckedIOException(e);
        } finally {
            content.release();
        }
        return compressed;
    }
}
