package dev.spindle.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * The HTTP/1.x request decoder, plus what Netty's does not tell:
 * <ul>
 * <li>whether it stands between two requests (no byte of the next one has arrived), which tells an
 *     idle connection (closed quietly) from a slow request head (408), without a handler in front
 *     of the codec;</li>
 * <li>what Netty skips or normalises: whitespace before the method makes the request a 400 through
 *     its decoder result, and {@link #versionProblem} tells a version sent exactly as
 *     {@code HTTP/1.1} or {@code HTTP/1.0} from one Netty normalised ({@code http/1.1}, {@code HTTP/1.2}).</li>
 * </ul>
 */
final class RequestDecoder extends HttpRequestDecoder {

    private boolean betweenRequests = true;
    /** The first byte of the next request line has not been looked at yet. */
    private boolean lineUnchecked = true;
    private BadRequestLine badLine;

    RequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            betweenRequests = false;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (lineUnchecked) {
            checkRequestLine(buffer);
        }
        int before = out.size();
        super.decode(ctx, buffer, out);
        int after = out.size();
        if (after == before) {
            return;
        }
        if (badLine != null) {
            for (int i = before; i < after; i++) {
                if (out.get(i) instanceof HttpRequest request && request.decoderResult().isSuccess()) {
                    request.setDecoderResult(DecoderResult.failure(badLine));
                    badLine = null;
                }
            }
        }
        if (out.get(after - 1) instanceof LastHttpContent) {
            lineUnchecked = true;
            betweenRequests = !buffer.isReadable();
        }
    }

    /** Whether every byte received so far belonged to requests that were decoded to their end. */
    boolean betweenRequests() {
        return betweenRequests;
    }

    /** Looks at the first byte of the next request line (empty lines before it are allowed). */
    private void checkRequestLine(ByteBuf buffer) {
        int start = buffer.readerIndex();
        int end = buffer.writerIndex();
        byte first = 0;
        while (start < end && ((first = buffer.getByte(start)) == '\r' || first == '\n')) {
            start++;
        }
        if (start == end) {
            return; // not here yet
        }
        lineUnchecked = false;
        if (first == ' ' || first == '\t') {
            badLine = new BadRequestLine(400, "Whitespace before the request line");
        }
    }

    /**
     * What is wrong with a request's version, or null: Netty maps exactly {@code HTTP/1.1} and
     * {@code HTTP/1.0} to its constants and makes a new, upper-cased version of anything else
     * ({@code http/1.1}, {@code HTTP/1.2}), so identity tells them apart at no cost.
     */
    static BadRequestLine versionProblem(HttpVersion version) {
        if (version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0) {
            return null;
        }
        if (version.protocolName().equals("HTTP") && !version.text().equals("HTTP/1.1")
                && !version.text().equals("HTTP/1.0")) {
            return new BadRequestLine(505, "HTTP version " + version.text() + " is not supported; use HTTP/1.1");
        }
        return new BadRequestLine(400, "The request line must end in HTTP/1.1 or HTTP/1.0 (case-sensitive)");
    }

    /** A request line that parsed but breaks RFC 9112 section 3; {@link #status} is 400 or 505. */
    static final class BadRequestLine extends RuntimeException {
        final int status;

        BadRequestLine(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
