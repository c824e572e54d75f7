package dev.spindle.bench.netty;

import dev.spindle.bench.BenchContract;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.Date;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves the bench contract with no framework: a switch on the URI, static bodies pre-encoded
 * once, JSON serialised per request with Jackson 3 (as Spindle does), responses written during
 * the read and flushed in {@code channelReadComplete}. Not sharable: one per connection.
 */
public final class NettyBenchHandler extends ChannelInboundHandlerAdapter {

    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    private static final ByteBuf HELLO = constant(BenchContract.HELLO);
    private static final ByteBuf PONG = constant("pong");
    private static final ByteBuf NOT_FOUND = constant("Not Found");
    private static final ObjectWriter JSON = JsonMapper.builder().build().writer();
    private static volatile CachedDate date = new CachedDate(-1, AsciiString.EMPTY_STRING);

    private final ExecutorService cpu;
    private boolean flushPending;

    /** A handler for one connection; {@code /cpu} runs on {@code cpu}. */
    public NettyBenchHandler(ExecutorService cpu) {
        this.cpu = cpu;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            String uri = request.uri();
            switch (uri) {
                case "/plaintext" -> write(ctx, HttpResponseStatus.OK, TEXT_PLAIN, HELLO.duplicate(), keepAlive);
                case "/json" -> write(ctx, HttpResponseStatus.OK, APPLICATION_JSON,
                        Unpooled.wrappedBuffer(JSON.writeValueAsBytes(new BenchContract.Message(BenchContract.HELLO))),
                        keepAlive);
                case "/ping" -> write(ctx, HttpResponseStatus.OK, TEXT_PLAIN, PONG.duplicate(), keepAlive);
                case "/cpu" -> offload(ctx, keepAlive);
                case "/cpu-inline" -> write(ctx, HttpResponseStatus.OK, TEXT_PLAIN, text(BenchContract.pbkdf2Hex()),
                        keepAlive);
                default -> {
                    if (uri.startsWith("/users/") && uri.indexOf('/', 7) < 0 && uri.length() > 7) {
                        write(ctx, HttpResponseStatus.OK, TEXT_PLAIN, text("user " + uri.substring(7)), keepAlive);
                    } else {
                        write(ctx, HttpResponseStatus.NOT_FOUND, TEXT_PLAIN, NOT_FOUND.duplicate(), keepAlive);
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void offload(ChannelHandlerContext ctx, boolean keepAlive) {
        try {
            cpu.execute(() -> {
                String hex = BenchContract.pbkdf2Hex();
                ctx.executor().execute(() -> {
                    write(ctx, HttpResponseStatus.OK, TEXT_PLAIN, text(hex), keepAlive);
                    flushPending = false;
                    ctx.flush();
                });
            });
        } catch (RejectedExecutionException e) {
            ctx.close();
        }
    }

    private void write(ChannelHandlerContext ctx, HttpResponseStatus status, AsciiString type, ByteBuf body,
                       boolean keepAlive) {
        HttpHeaders headers = HEADERS.newHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, type);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        headers.set(HttpHeaderNames.DATE, date());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, headers,
                HEADERS.newEmptyHeaders());
        if (keepAlive) {
            ctx.write(response, ctx.voidPromise());
            flushPending = true;
        } else {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static ByteBuf text(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(CharsetUtil.UTF_8));
    }

    private static ByteBuf constant(String text) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(text.getBytes(CharsetUtil.UTF_8)));
    }

    private static AsciiString date() {
        long second = System.currentTimeMillis() / 1000;
        CachedDate current = date;
        if (current.second != second) {
            current = new CachedDate(second, AsciiString.cached(DateFormatter.format(new Date(second * 1000))));
            date = current;
        }
        return current.value;
    }

    private record CachedDate(long second, AsciiString value) {}
}
