package dev.spindle.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * The HTTP/1.x request decoder, plus two things Netty's does not do:
 * <ul>
 * <li>it knows whether it stands between two requests (no byte of the next one has arrived), which
 *     tells an idle connection (closed quietly) from a slow request head (408), without a handler in
 *     front of the codec;</li>
 * <li>it reads each request line as sent, before Netty normalises it: whitespace before the method,
 *     a version that is not exactly {@code HTTP/1.1} or {@code HTTP/1.0} (Netty upper-cases
 *     {@code http/1.1} and accepts {@code HTTP/1.2}) make the request a 400, or a 505 for another
 *     {@code HTTP/x.y}, through its decoder result.</li>
 * </ul>
 */
final class RequestDecoder extends HttpRequestDecoder {

    private static final byte[] HTTP_1_1 = {'H', 'T', 'T', 'P', '/', '1', '.', '1'};
    private static final byte[] HTTP_1_0 = {'H', 'T', 'T', 'P', '/', '1', '.', '0'};

    private boolean betweenRequests = true;
    /** The next request line has not been looked at yet. */
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
        for (int i = before; i < out.size(); i++) {
            Object decoded = out.get(i);
            if (decoded instanceof HttpRequest request && badLine != null && request.decoderResult().isSuccess()) {
                request.setDecoderResult(DecoderResult.failure(badLine));
                badLine = null;
            }
            if (decoded instanceof LastHttpContent) {
                lineUnchecked = true;
            }
        }
        if (out.size() > before && out.get(out.size() - 1) instanceof LastHttpContent) {
            betweenRequests = !buffer.isReadable();
        }
    }

    /** Whether every byte received so far belonged to requests that were decoded to their end. */
    boolean betweenRequests() {
        return betweenRequests;
    }

    /** Looks at the next request line once it is complete in {@code buffer} (empty lines before it are allowed). */
    private void checkRequestLine(ByteBuf buffer) {
        int start = buffer.readerIndex();
        int end = buffer.writerIndex();
        while (start < end && (buffer.getByte(start) == '\r' || buffer.getByte(start) == '\n')) {
            start++;
        }
        int lineFeed = start < end ? buffer.indexOf(start, end, (byte) '\n') : -1;
        if (lineFeed < 0) {
            return; // not all here yet
        }
        lineUnchecked = false;
        int lineEnd = lineFeed > start && buffer.getByte(lineFeed - 1) == '\r' ? lineFeed - 1 : lineFeed;
        byte first = buffer.getByte(start);
        if (first == ' ' || first == '\t') {
            badLine = new BadRequestLine(400, "Whitespace before the request line");
            return;
        }
        if (lineEnd - start < 9 || buffer.getByte(lineEnd - 9) != ' ') {
            return; // not a request line Netty can split either: its own failure answers it
        }
        int version = lineEnd - 8;
        if (matches(buffer, version, HTTP_1_1) || matches(buffer, version, HTTP_1_0)) {
            return;
        }
        if (matches(buffer, version, HTTP_1_1, 5) && isDigit(buffer.getByte(version + 5))
                && buffer.getByte(version + 6) == '.' && isDigit(buffer.getByte(version + 7))) {
            badLine = new BadRequestLine(505, "HTTP version " + buffer.toString(version, 8,
                    java.nio.charset.StandardCharsets.US_ASCII) + " is not supported; use HTTP/1.1");
        } else {
            badLine = new BadRequestLine(400, "The request line must end in HTTP/1.1 or HTTP/1.0 (case-sensitive)");
        }
    }

    private static boolean matches(ByteBuf buffer, int at, byte[] expected) {
        return matches(buffer, at, expected, expected.length);
    }

    private static boolean matches(ByteBuf buffer, int at, byte[] expected, int length) {
        for (int i = 0; i < length; i++) {
            if (buffer.getByte(at + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
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
