package dev.spindle.http.internal;

import dev.spindle.http.HttpException;
import dev.spindle.http.Method;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;

/**
 * One request on its way through a connection: receiving its body, then waiting for the
 * handler, then answered. The state only moves forward, which is what makes "written exactly
 * once" hold whatever order completions, errors and disconnects arrive in.
 */
final class Exchange {

    enum State { RECEIVING, DISPATCHED, RESPONDED }

    private static final byte[] NO_BODY = new byte[0];

    final HttpRequest request;
    final Method method;
    final RouteMatch match;
    final long startNanos;
    final long deadlineNanos;
    private final String requestId;
    private final String path;
    private final long maxBodySize;
    State state = State.RECEIVING;
    DefaultContext context;
    CompletionStage<?> stage;
    ScheduledFuture<?> timer;
    boolean timedOut;
    boolean bodyComplete;
    /** A request refused before routing whose method is not one Spindle routes: labelled OTHER in metrics. */
    boolean unknownMethod;
    StreamingBody streamingBody;
    StreamWriter streamWriter;
    private long streamedBytes;
    private byte[] body = NO_BODY;
    private int bodySize;

    Exchange(HttpRequest request, Method method, RouteMatch match, String path, String requestId, long startNanos) {
        this.request = request;
        this.method = method;
        this.match = match;
        this.path = path;
        this.requestId = requestId;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + match.entry().deadlineNanos();
        this.maxBodySize = match.entry().maxBodySize();
    }

    String requestId() {
        return requestId;
    }

    String path() {
        return path;
    }

    HttpVersion version() {
        return request.protocolVersion();
    }

    boolean isHead() {
        return method == Method.HEAD;
    }

    RouteEntry entry() {
        return match.entry();
    }

    long maxBodySize() {
        return maxBodySize;
    }

    boolean acceptsGzip() {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
        return accept != null && acceptsGzip(accept);
    }

    /** Whether an {@code Accept-Encoding} value admits gzip: listed (or {@code *}) without {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        for (String coding : acceptEncoding.split(",")) {
            int semicolon = coding.indexOf(';');
            String name = (semicolon < 0 ? coding : coding.substring(0, semicolon)).trim();
            if (name.equalsIgnoreCase("gzip") || name.equals("*")) {
                return semicolon < 0 || quality(coding.substring(semicolon + 1)) > 0;
            }
        }
        return false;
    }

    private static double quality(String parameters) {
        for (String parameter : parameters.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("q")) {
                try {
                    return Double.parseDouble(pair[1].trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /** Appends body bytes; a body beyond the route's limit is a 413. */
    void append(ByteBuf content) {
        int readable = content.readableBytes();
        if (readable == 0) {
            return;
        }
        if (bodySize + (long) readable > maxBodySize) {
            throw tooLarge();
        }
        if (body.length - bodySize < readable) {
            body = Arrays.copyOf(body, (int) Math.min(maxBodySize, Math.max(bodySize + readable, body.length * 2L + 1024)));
        }
        content.readBytes(body, bodySize, readable);
        bodySize += readable;
    }

    /** Pre-sizes the buffer from a declared length that is within the limit. */
    void expect(long contentLength) {
        if (contentLength > maxBodySize) {
            throw tooLarge();
        }
        if (contentLength > 0) {
            // Never trust a declared length for more than a modest first buffer.
            body = new byte[(int) Math.min(contentLength, 64 << 10)];
        }
    }

    /** Counts bytes of a streamed body against the route's limit; beyond it is a 413. */
    void countStreamed(int bytes) {
        streamedBytes += bytes;
        if (streamedBytes > maxBodySize) {
            throw tooLarge();
        }
    }

    byte[] takeBody() {
        byte[] taken = bodySize == body.length ? body : Arrays.copyOf(body, bodySize);
        body = NO_BODY;
        return taken;
    }

    private HttpException tooLarge() {
        return new HttpException(413, "Request body is larger than the " + maxBodySize + " bytes this route accepts");
    }
}
