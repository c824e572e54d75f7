package dev.spindle.http.internal;

import dev.spindle.http.HttpException;
import dev.spindle.http.Method;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one place that turns requests into handler calls and handler futures into bytes. One per
 * connection, always on that connection's event loop. Requests are served one at a time in
 * arrival order (pipelined requests wait in a short backlog), every exchange is answered exactly
 * once, and a response produced while reading is flushed once per read batch rather than per
 * response.
 */
final class HttpDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);
    private static final Logger accessLog = LoggerFactory.getLogger("dev.spindle.access");
    private static final int MAX_BACKLOG = 16;
    private static final FullHttpResponse CONTINUE =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE);

    private final ServerContext server;
    private final ConnectionGuard guard;
    private final ResponseEncoder encoder;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>(4);
    private ChannelHandlerContext ctx;
    private Exchange current;
    private boolean reading;
    private boolean flushPending;
    private boolean closing;
    private boolean readPaused;

    HttpDispatcher(ServerContext server, ConnectionGuard guard) {
        this.server = server;
        this.guard = guard;
        this.encoder = new ResponseEncoder(server);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        if (current != null && current.state != Exchange.State.RECEIVING || !backlog.isEmpty()) {
            backlog.add(msg);
            if (backlog.size() >= MAX_BACKLOG && !readPaused) {
                readPaused = true;
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        handle(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == ConnectionGuard.HEADERS_LATE) {
            if (current == null) {
                reject(null, 408, "The request's headers did not arrive in time");
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        Object queued;
        while ((queued = backlog.poll()) != null) {
            ReferenceCountUtil.release(queued);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("Unexpected error on connection {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /** Graceful shutdown: close now if idle, otherwise after the response in progress. */
    void drain() {
        if (current == null && backlog.isEmpty()) {
            ctx.close();
        }
    }

    private void handle(Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (msg instanceof HttpRequest request) {
                onRequest(request);
            }
            if (msg instanceof HttpContent content) {
                onContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(HttpRequest request) {
        guard.requestStarted();
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpLineException) {
                reject(null, 414, "The request line is longer than " + server.maxRequestLine + " bytes");
            } else if (cause instanceof TooLongHttpHeaderException) {
                reject(null, 431, "The request headers are larger than " + server.maxHeaderSize + " bytes");
            } else {
                reject(null, 400, "Malformed HTTP request: " + cause.getMessage());
            }
            return;
        }
        Method method = Methods.of(request.method());
        if (method == null) {
            reject(null, 501, "Method " + request.method() + " is not supported");
            return;
        }
        String target = request.uri();
        if (!isOriginForm(target)) {
            reject(null, 400, "The request target must be an absolute path such as /users?page=2");
            return;
        }
        int query = target.indexOf('?');
        String rawPath = query < 0 ? target : target.substring(0, query);
        String requestId = RequestIds.fromHeaderOrNew(request.headers().get(ResponseEncoder.X_REQUEST_ID));
        RouteMatch match;
        try {
            match = server.router.match(method, rawPath);
        } catch (HttpException e) {
            reject(requestId, e.status(), e.getMessage());
            return;
        }
        Exchange exchange = new Exchange(request, method, match, rawPath, requestId, System.nanoTime());
        current = exchange;
        server.metrics.started();
        if (server.draining()) {
            closing = true;
            respond(exchange, HttpException.unavailable("The server is shutting down", java.time.Duration.ofSeconds(1))
                    .toResponse());
            return;
        }
        try {
            if (HttpUtil.isContentLengthSet(request)) {
                exchange.expect(HttpUtil.getContentLength(request));
            }
        } catch (HttpException e) {
            closing = true;
            respond(exchange, e.toResponse());
            return;
        }
        // RFC 9110 10.1.1: a server must ignore an expectation in an HTTP/1.0 request, not refuse it.
        String expect = HttpVersion.HTTP_1_0.equals(request.protocolVersion()) ? null
                : request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null) {
            if (!HttpUtil.is100ContinueExpected(request)) {
                closing = true;
                respond(exchange, Response.problem(Problem.of(417, "Only 'Expect: 100-continue' is supported")));
                return;
            }
            if (match.entry() == server.router.notFoundEntry() || match.allow() != null) {
                // Answer before the body is sent, and close: the client may or may not send it anyway.
                closing = true;
                exchange.context = newContext(exchange);
                dispatch(exchange);
                return;
            }
            ctx.writeAndFlush(CONTINUE.retainedDuplicate());
        }
        exchange.context = newContext(exchange);
        if (!(request instanceof LastHttpContent) && hasBody(request)) {
            armDeadline(exchange);
        }
    }

    private static boolean hasBody(HttpRequest request) {
        return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    }

    private void armDeadline(Exchange exchange) {
        if (exchange.timer == null) {
            exchange.timer = ctx.executor().schedule(() -> onDeadline(exchange), exchange.deadline.remainingNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /** The deadline passed: 408 while the body is arriving, otherwise 503 and the work is cancelled. */
    private void onDeadline(Exchange exchange) {
        if (exchange.state == Exchange.State.RESPONDED) {
            return;
        }
        exchange.timedOut = true;
        exchange.timer = null;
        server.metrics.deadlineExceeded();
        long millis = exchange.entry().deadlineNanos() / 1_000_000;
        if (exchange.state == Exchange.State.RECEIVING) {
            closing = true;
            respond(exchange, Response.problem(Problem.of(408,
                    "The request body did not arrive within the " + millis + " ms deadline")));
            return;
        }
        MDC.put("requestId", exchange.requestId());
        try {
            log.warn("{} did not complete within its {} ms deadline; answering 503 and cancelling it",
                    describe(exchange), millis);
        } finally {
            MDC.remove("requestId");
        }
        respond(exchange, Response.problem(Problem.of(503,
                "The request did not complete within its " + millis + " ms deadline")));
        exchange.context.cancelPending();
        cancel(exchange.stage);
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException e) {
            // A stage that cannot be cancelled finishes on its own; its late result is dropped.
        }
    }

    private void onContent(HttpContent content) {
        Exchange exchange = current;
        if (exchange == null || exchange.state != Exchange.State.RECEIVING) {
            return;
        }
        if (content.decoderResult().isFailure()) {
            closing = true;
            respond(exchange, Response.problem(Problem.of(400, "Malformed request body: "
                    + content.decoderResult().cause().getMessage())));
            return;
        }
        try {
            exchange.append(content.content());
        } catch (HttpException e) {
            closing = true;
            respond(exchange, e.toResponse());
            return;
        }
        if (content instanceof LastHttpContent) {
            exchange.context.body(exchange.takeBody());
            dispatch(exchange);
        }
    }

    private DefaultContext newContext(Exchange exchange) {
        String uri = exchange.request.uri();
        return new DefaultContext(ctx.channel(), exchange.request, exchange.method, exchange.path(), uri.indexOf('?'),
                exchange.match, exchange.requestId(), server, exchange.deadline);
    }

    private void dispatch(Exchange exchange) {
        exchange.state = Exchange.State.DISPATCHED;
        CompletionStage<Response> stage;
        MDC.put("requestId", exchange.requestId());
        try {
            stage = exchange.entry().handler().handle(exchange.context);
        } catch (Throwable failure) {
            complete(exchange, null, failure);
            return;
        } finally {
            MDC.remove("requestId");
        }
        if (stage == null) {
            complete(exchange, null, new NullPointerException("The handler returned null instead of a stage"));
            return;
        }
        exchange.stage = stage;
        stage.whenComplete((response, failure) -> {
            if (ctx.executor().inEventLoop()) {
                complete(exchange, response, failure);
            } else {
                ctx.executor().execute(() -> complete(exchange, response, failure));
            }
        });
        if (exchange.state != Exchange.State.RESPONDED) {
            armDeadline(exchange);
        }
    }

    private void complete(Exchange exchange, Response response, Throwable failure) {
        if (exchange.state == Exchange.State.RESPONDED) {
            if (exchange.timedOut && !(Failures.unwrap(failure) instanceof CancellationException)) {
                server.metrics.lateCompletion();
            }
            return;
        }
        try {
            respond(exchange, answerFor(exchange, response, failure));
        } catch (Throwable unexpected) {
            // Never leave a connection hanging: a bug past this point closes it.
            log.error("Failed to answer {}; closing the connection", describe(exchange), unexpected);
            closing = true;
            ctx.close();
        }
    }

    private Response answerFor(Exchange exchange, Response response, Throwable failure) {
        Response answer = response;
        MDC.put("requestId", exchange.requestId());
        try {
            if (failure != null) {
                answer = server.failures.toResponse(failure, exchange.context, describe(exchange));
            } else if (answer == null) {
                answer = server.failures.nullResponse(describe(exchange));
            }
        } finally {
            MDC.remove("requestId");
        }
        return answer;
    }

    private static String describe(Exchange exchange) {
        return exchange.method + " " + exchange.entry().template();
    }

    /** Answers a request that never became an exchange (malformed, unsupported); always closes. */
    private void reject(String requestId, int status, String detail) {
        closing = true;
        String id = requestId != null ? requestId : RequestIds.generate();
        Exchange exchange = new Exchange(Requests.BAD, Method.GET, server.router.rejectedMatch(), "/", id,
                System.nanoTime());
        current = exchange;
        server.metrics.started();
        respond(exchange, Response.problem(Problem.of(status, detail)));
    }

    private void respond(Exchange exchange, Response response) {
        exchange.state = Exchange.State.RESPONDED;
        if (exchange.timer != null) {
            exchange.timer.cancel(false);
            exchange.timer = null;
        }
        // While draining, stay open for requests already queued behind this one: each gets a 503, the last closes.
        boolean keepAlive = !closing && (!server.draining() || !backlog.isEmpty())
                && HttpUtil.isKeepAlive(exchange.request);
        FullHttpResponse encoded;
        try {
            encoded = encoder.encode(response, exchange, ctx.alloc(), keepAlive);
        } catch (RuntimeException e) {
            log.error("Cannot encode the response of {}", describe(exchange), e);
            keepAlive = false;
            encoded = encoder.encode(Failures.internalError(), exchange, ctx.alloc(), false);
        }
        int bytes = encoded.content().readableBytes();
        if (!keepAlive) {
            closing = true;
            ctx.writeAndFlush(encoded).addListener(ChannelFutureListener.CLOSE);
        } else if (reading) {
            ctx.write(encoded, ctx.voidPromise());
            flushPending = true;
        } else {
            ctx.writeAndFlush(encoded, ctx.voidPromise());
        }
        finish(exchange, response.status(), bytes);
    }

    private void finish(Exchange exchange, int status, int bytes) {
        long nanos = System.nanoTime() - exchange.startNanos;
        server.metrics.finished();
        exchange.entry().timers(exchange.method).record(status, nanos);
        if (server.accessLog) {
            MDC.put("requestId", exchange.requestId());
            accessLog.info("{} {} {} {}B {}ms {}", exchange.method, exchange.entry().template(), status, bytes,
                    nanos / 1_000_000, exchange.requestId());
            MDC.remove("requestId");
        }
        current = null;
        if (closing) {
            return;
        }
        guard.requestFinished();
        Object next;
        // Keep feeding while the next request is still receiving: its body and end are queued behind its head.
        while (!closing && (current == null || current.state == Exchange.State.RECEIVING)
                && (next = backlog.poll()) != null) {
            handle(next);
        }
        if (backlog.isEmpty() && readPaused) {
            readPaused = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static boolean isOriginForm(String target) {
        if (target.isEmpty() || target.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 127) {
                return false;
            }
        }
        return true;
    }
}
