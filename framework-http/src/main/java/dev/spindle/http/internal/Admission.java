package dev.spindle.http.internal;

import dev.spindle.core.OverloadException;
import dev.spindle.http.HttpException;
import dev.spindle.http.Method;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Decides what becomes of a request head: routed and admitted, or refused at once (malformed,
 * unsupported, too large, draining, overloaded, an expectation that cannot be met). Every head
 * becomes an {@link Exchange}, refused ones included, so each is answered and accounted the same
 * way. One per connection, on its loop; the verdict on the last head is read from its accessors.
 */
final class Admission {

    /** What {@code OPTIONS *} answers: every method Spindle routes. */
    private static final String SERVER_WIDE_ALLOW = String.join(", ",
            java.util.Arrays.stream(Method.values()).map(Enum::name).toList());

    private final ServerContext server;
    private Response refusal;
    private boolean close;
    private boolean expectsContinue;
    private boolean answerNow;
    /** The admitted head's declared body: its Content-Length (-1 when none) and whether one follows at all. */
    private long contentLength;
    private boolean hasBody;
    /**
     * Whether the requests arrive on HTTP/2 streams. Those are not refused while draining: the
     * connection's {@code GOAWAY}s tell the client to stop opening streams, and a stream it opened
     * before that is served, as the first {@code GOAWAY} promised.
     */
    private boolean http2Stream;
    /** The Host of this connection's last valid request: the next one is not parsed again when it is the same. */
    private String validHost;

    Admission(ServerContext server) {
        this.server = server;
    }

    /** The requests arrive on an HTTP/2 stream, not an HTTP/1.x connection. */
    void http2(boolean onHttp2Stream) {
        this.http2Stream = onHttp2Stream;
    }

    /** The refusal for the last head, or null when it was admitted. */
    Response refusal() {
        return refusal;
    }

    /** Whether the connection closes after the refusal (framing in doubt, or a body that will not be read). */
    boolean closeAfterRefusal() {
        return close;
    }

    /** Whether the client waits for {@code 100 Continue} before sending the body. */
    boolean expectsContinue() {
        return expectsContinue;
    }

    /** Whether the handler answers before the body is read (the body is then never read: the connection closes). */
    boolean answerBeforeBody() {
        return answerNow;
    }

    /** The last admitted head's Content-Length, or -1 when it has none (chunked, or no body). */
    long contentLength() {
        return contentLength;
    }

    /** Whether a body follows the last admitted head (a positive Content-Length, or chunked). */
    boolean hasBody() {
        return hasBody;
    }

    /** The exchange for {@code request}; see {@link #refusal()} for the verdict. */
    Exchange admit(HttpRequest request, long nowNanos) {
        refusal = null;
        close = false;
        expectsContinue = false;
        answerNow = false;
        contentLength = -1;
        hasBody = false;
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            // The decoder's stand-in request carries no real method: these are labelled OTHER.
            if (cause instanceof TooLongHttpLineException) {
                return rejected(null, null, 414, "The request line is longer than " + server.maxRequestLine
                        + " bytes", nowNanos);
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return rejected(null, null, 431, "The request headers are larger than " + server.maxHeaderSize
                        + " bytes", nowNanos);
            }
            if (cause instanceof RequestDecoder.BadRequestLine line) {
                return rejected(null, null, line.status, line.getMessage(), nowNanos);
            }
            return rejected(null, null, 400, "Malformed HTTP request: " + cause.getMessage(), nowNanos);
        }
        RequestDecoder.BadRequestLine badVersion = RequestDecoder.versionProblem(request.protocolVersion());
        if (badVersion != null) {
            return rejected(null, null, badVersion.status, badVersion.getMessage(), nowNanos);
        }
        Method method = Methods.of(request.method());
        if (method == null) {
            return rejected(request, null, 501, "Method " + request.method() + " is not supported", nowNanos);
        }
        String requestId = RequestIds.fromHeaderOrNew(request.headers().get(ResponseEncoder.X_REQUEST_ID));
        String problem = RequestRules.check(request, validHost);
        if (problem != null) {
            return rejected(request, requestId, 400, problem, nowNanos);
        }
        validHost = request.headers().get(HttpHeaderNames.HOST);
        if (RequestRules.isAsterisk(request)) {
            Exchange exchange = stub(request, Method.OPTIONS, requestId, nowNanos);
            refuse(Response.empty(204).header("Allow", SERVER_WIDE_ALLOW), false);
            return exchange;
        }
        String target = RequestRules.originForm(request.uri());
        int query = target.indexOf('?');
        String rawPath = query < 0 ? target : target.substring(0, query);
        String ambiguous = RequestRules.pathProblem(rawPath);
        if (ambiguous != null) {
            return rejected(request, requestId, 400, ambiguous, nowNanos);
        }
        RouteMatch match;
        try {
            match = server.router.match(method, rawPath);
        } catch (HttpException e) {
            return rejected(request, requestId, e.status(), e.getMessage(), nowNanos);
        }
        Exchange exchange = new Exchange(request, method, false, match, target, rawPath, query, requestId, nowNanos);
        decide(exchange, request);
        return exchange;
    }

    /** Draining, the body limit, the overload gate and expectations. */
    private void decide(Exchange exchange, HttpRequest request) {
        contentLength = HttpUtil.getContentLength(request, -1L);
        hasBody = contentLength > 0 || HttpUtil.isTransferEncodingChunked(request);
        RouteEntry entry = exchange.entry();
        if (server.draining() && entry.sheddable() && !http2Stream) {
            server.metrics.rejected("draining");
            refuse(HttpException.unavailable("The server is shutting down", ServerContext.RETRY_AFTER).toResponse(),
                    hasBody);
            return;
        }
        if (RequestBody.tooLong(contentLength, entry.maxBodySize())) {
            refuse(RequestBody.tooLarge(entry.maxBodySize()).toResponse(), true);
            return;
        }
        OverloadException overload = entry.sheddable() ? server.overloaded() : null;
        if (overload != null) {
            server.metrics.rejected(overload.reason().tag());
            refuse(Failures.overloaded(overload), hasBody);
            return;
        }
        // RFC 9110 10.1.1: a server must ignore an expectation in an HTTP/1.0 request, not refuse it.
        String expect = HttpVersion.HTTP_1_0.equals(request.protocolVersion()) ? null
                : request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null) {
            if (!HttpUtil.is100ContinueExpected(request)) {
                refuse(Response.problem(Problem.of(417, "Only 'Expect: 100-continue' is supported")), true);
            } else if (entry.unmatched()) {
                // Answered before the body is sent (404, 405): close, the client may or may not send it anyway.
                close = true;
                answerNow = true;
            } else {
                expectsContinue = hasBody;
            }
        }
    }

    private void refuse(Response response, boolean closeAfter) {
        refusal = response;
        close = closeAfter;
    }

    /** An exchange for input that never became a usable request; its answer always closes. */
    Exchange rejected(HttpRequest request, String requestId, int status, String detail, long nowNanos) {
        Exchange exchange = stub(request, request == null ? null : Methods.of(request.method()), requestId, nowNanos);
        refuse(Response.problem(Problem.of(status, detail)), true);
        return exchange;
    }

    /** An exchange answered without routing; a request that was not understood is answered as HTTP/1.1. */
    private Exchange stub(HttpRequest request, Method method, String requestId, long nowNanos) {
        return new Exchange(request == null ? Requests.BAD : request, method == null ? Method.GET : method,
                method == null, server.router.rejectedMatch(), "/", "/", -1,
                requestId != null ? requestId : RequestIds.generate(), nowNanos);
    }

    /**
     * Whether a refused head says a body follows. Its framing headers are only read, never parsed:
     * a head refused because the decoder could not parse them (a Content-Length list) declares a
     * body too, and the lingering close lets its client read the 400 before the connection ends.
     */
    static boolean declaresBody(HttpRequest request) {
        if (request instanceof LastHttpContent) {
            return false;
        }
        String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        return (length != null && !length.equals("0")) || request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
    }
}
