package dev.spindle.http.internal;

import dev.spindle.core.LoopActivity;
import dev.spindle.core.OverloadException;
import dev.spindle.http.HttpException;
import dev.spindle.http.Method;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns requests into handler calls and handler futures into bytes. One per
 * connection, always on that connection's event loop. Requests are served one at a time in
 * arrival order (pipelined requests wait in a short backlog), and every exchange is answered
 * exactly once whatever order completions, deadlines, errors and disconnects arrive in.
 */
final class HttpDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);
    private static final int MAX_BACKLOG = 16;
    private static final FullHttpResponse CONTINUE =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE);

    private final ServerContext server;
    private final ConnectionGuard guard;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>(4);
    private ResponseWriter writer;
    private ChannelHandlerContext ctx;
    private Exchange current;
    private boolean readPaused;

    HttpDispatcher(ServerContext server, ConnectionGuard guard) {
        this.server = server;
        this.guard = guard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.writer = new ResponseWriter(ctx, server, this::finished, () -> !backlog.isEmpty());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        writer.reading(true);
        if (!backlog.isEmpty() || current != null && current.bodyComplete) {
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
        writer.reading(false);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writer.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
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
        writer.closing();
        Object queued;
        while ((queued = backlog.poll()) != null) {
            ReferenceCountUtil.release(queued);
        }
        Exchange exchange = current;
        if (exchange != null && exchange.streamingBody != null && !exchange.bodyComplete) {
            exchange.streamingBody.fail(new IOException("The client closed the connection during the upload"));
        }
        writer.aborted();
        if (exchange != null && exchange.state != Exchange.State.RESPONDED) {
            // Nobody is left to answer: stop the work behind the request, as its deadline would.
            writer.abandoned(exchange);
            cancel(exchange);
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
        if (writer.isClosing()) {
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
            // The decoder's stand-in request carries no real method: these are labelled OTHER.
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
            reject(request, null, 501, "Method " + request.method() + " is not supported");
            return;
        }
        String target = request.uri();
        if (!RequestTargets.isOriginForm(target)) {
            reject(request, null, 400, "The request target must be an absolute path such as /users?page=2");
            return;
        }
        int query = target.indexOf('?');
        String rawPath = query < 0 ? target : target.substring(0, query);
        String requestId = RequestIds.fromHeaderOrNew(request.headers().get(ResponseEncoder.X_REQUEST_ID));
        RouteMatch match;
        try {
            match = server.router.match(method, rawPath);
        } catch (HttpException e) {
            reject(request, requestId, e.status(), e.getMessage());
            return;
        }
        Exchange exchange = new Exchange(request, method, match, rawPath, requestId, System.nanoTime());
        current = exchange;
        server.metrics.started();
        long contentLength = HttpUtil.getContentLength(request, -1L);
        boolean hasBody = contentLength > 0 || HttpUtil.isTransferEncodingChunked(request);
        if (!admit(exchange, contentLength, hasBody)) {
            return;
        }
        exchange.context = new DefaultContext(ctx.channel(), exchange, query, server);
        // RFC 9110 10.1.1: a server must ignore an expectation in an HTTP/1.0 request, not refuse it.
        String expect = HttpVersion.HTTP_1_0.equals(request.protocolVersion()) ? null
                : request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null) {
            if (!HttpUtil.is100ContinueExpected(request)) {
                refuse(exchange, Response.problem(Problem.of(417, "Only 'Expect: 100-continue' is supported")));
                return;
            }
            if (match.entry().unmatched()) {
                // Answer before the body is sent, and close: the client may or may not send it anyway.
                writer.closeAfterResponse();
                exchange.bodyComplete = true;
                dispatch(exchange);
                return;
            }
            ctx.writeAndFlush(CONTINUE.retainedDuplicate());
        }
        if (exchange.entry().streamingBody()) {
            exchange.streamingBody = new StreamingBody(ctx);
            exchange.context.streamingBody(exchange.streamingBody);
            dispatch(exchange);
        } else if (hasBody && !(request instanceof LastHttpContent)) {
            armDeadline(exchange);
        }
    }

    /** Draining, the body limit and the overload gate; false when the exchange was answered already. */
    private boolean admit(Exchange exchange, long contentLength, boolean hasBody) {
        if (server.draining() && exchange.entry().sheddable()) {
            server.metrics.rejected("draining");
            refuse(exchange, HttpException.unavailable("The server is shutting down", ServerContext.RETRY_AFTER).toResponse());
            return false;
        }
        try {
            if (contentLength >= 0) {
                exchange.expect(contentLength);
            }
        } catch (HttpException e) {
            refuse(exchange, e.toResponse());
            return false;
        }
        OverloadException overload = exchange.entry().sheddable() ? server.overloaded() : null;
        if (overload != null) {
            server.metrics.rejected(overload.reason().tag());
            if (hasBody) {
                writer.closeAfterResponse();
            }
            exchange.bodyComplete = !hasBody;
            writer.respond(exchange, Failures.overloaded(overload));
            return false;
        }
        return true;
    }

    private void onContent(HttpContent content) {
        Exchange exchange = current;
        if (exchange == null || exchange.bodyComplete || exchange.state == Exchange.State.RESPONDED
                && exchange.streamingBody == null) {
            return;
        }
        if (content.decoderResult().isFailure()) {
            failBody(exchange, Response.problem(Problem.of(400, "Malformed request body: "
                    + content.decoderResult().cause().getMessage())));
            return;
        }
        boolean last = content instanceof LastHttpContent;
        try {
            if (exchange.streamingBody != null) {
                exchange.countStreamed(content.content().readableBytes());
                exchange.streamingBody.offer(content.content());
            } else {
                exchange.append(content.content());
            }
        } catch (HttpException e) {
            failBody(exchange, e.toResponse());
            return;
        }
        if (!last) {
            return;
        }
        exchange.bodyComplete = true;
        if (exchange.streamingBody != null) {
            exchange.streamingBody.complete();
        } else {
            exchange.context.body(exchange.takeBody());
            dispatch(exchange);
        }
    }

    /** The body cannot be read to its end: answer (if not yet) and close. */
    private void failBody(Exchange exchange, Response response) {
        if (exchange.streamingBody != null) {
            exchange.streamingBody.fail(new IOException("The request body was refused: " + response.status()));
        }
        exchange.bodyComplete = true;
        if (exchange.state == Exchange.State.RESPONDED) {
            ctx.close();
            return;
        }
        refuse(exchange, response);
        cancel(exchange);
    }

    private void dispatch(Exchange exchange) {
        exchange.state = Exchange.State.DISPATCHED;
        CompletionStage<Response> stage;
        RequestMdc.enter(exchange.requestId());
        LoopActivity.enter(exchange.entry().template(), exchange.requestId());
        try {
            stage = exchange.entry().handler().handle(exchange.context);
        } catch (Throwable failure) {
            complete(exchange, null, failure);
            return;
        } finally {
            LoopActivity.exit();
            RequestMdc.exit();
        }
        if (stage == null) {
            complete(exchange, null, new NullPointerException("The handler returned null instead of a stage"));
            return;
        }
        exchange.stage = stage;
        CompletableFuture<Response> done = Stages.completedOrNull(stage);
        if (done != null) {
            // Most handlers answer at once: no dependent stage, no callback, no thread check.
            completeNow(exchange, done);
            return;
        }
        stage.whenComplete((response, failure) -> {
            // Not OnLoop.run: on the loop (the common case) this must not allocate a second lambda.
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

    private void completeNow(Exchange exchange, CompletableFuture<Response> done) {
        Response response;
        try {
            response = done.getNow(null);
        } catch (CancellationException | CompletionException e) {
            complete(exchange, null, e);
            return;
        }
        complete(exchange, response, null);
    }

    private void complete(Exchange exchange, Response response, Throwable failure) {
        if (exchange.state == Exchange.State.RESPONDED) {
            if (exchange.timedOut && !(Failures.unwrap(failure) instanceof CancellationException)) {
                server.metrics.lateCompletion();
            }
            return;
        }
        try {
            writer.respond(exchange, failure == null && response != null ? response
                    : answerFor(exchange, response, failure));
        } catch (Throwable unexpected) {
            // Never leave a connection hanging: a bug past this point closes it.
            log.error("Failed to answer {}; closing the connection", describe(exchange), unexpected);
            ctx.close();
        }
    }

    /** The problem response for a failed (or null) answer, mapped with the request's id in the MDC. */
    private Response answerFor(Exchange exchange, Response response, Throwable failure) {
        RequestMdc.enter(exchange.requestId());
        LoopActivity.enter(exchange.entry().template(), exchange.requestId());
        try {
            return failure != null ? server.failures.toResponse(failure, exchange.context, describe(exchange))
                    : server.failures.nullResponse(describe(exchange));
        } finally {
            LoopActivity.exit();
            RequestMdc.exit();
        }
    }

    private void armDeadline(Exchange exchange) {
        if (exchange.timer == null) {
            exchange.timer = ctx.executor().schedule(() -> onDeadline(exchange),
                    Math.max(0, exchange.deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** The deadline passed: 408 while the body is arriving, otherwise 503; either way the work is cancelled. */
    private void onDeadline(Exchange exchange) {
        if (exchange.state == Exchange.State.RESPONDED) {
            return;
        }
        exchange.timedOut = true;
        exchange.timer = null;
        server.metrics.deadlineExceeded();
        long millis = exchange.entry().deadlineNanos() / 1_000_000;
        if (!exchange.bodyComplete) {
            failBody(exchange, Response.problem(Problem.of(408,
                    "The request body did not arrive within the " + millis + " ms deadline")));
            return;
        }
        RequestMdc.enter(exchange.requestId());
        try {
            log.warn("{} did not complete within its {} ms deadline; answering 503 and cancelling it",
                    describe(exchange), millis);
        } finally {
            RequestMdc.exit();
        }
        writer.respond(exchange, Response.problem(Problem.of(503,
                "The request did not complete within its " + millis + " ms deadline")));
        cancel(exchange);
    }

    /** Stops the work behind an answered exchange: queued offload tasks, then the handler's stage. */
    private static void cancel(Exchange exchange) {
        if (exchange.context != null) {
            exchange.context.cancelPending();
        }
        if (exchange.stage != null) {
            try {
                exchange.stage.toCompletableFuture().cancel(true);
            } catch (UnsupportedOperationException e) {
                // A stage that cannot be cancelled finishes on its own; its late result is dropped.
            }
        }
    }

    /** Answers and closes: for requests refused before their body was read. */
    private void refuse(Exchange exchange, Response response) {
        writer.closeAfterResponse();
        exchange.bodyComplete = true;
        writer.respond(exchange, response);
    }

    /** Answers input that never became a usable request (malformed, unsupported); always closes. */
    private void reject(String requestId, int status, String detail) {
        reject(null, requestId, status, detail);
    }

    private void reject(HttpRequest request, String requestId, int status, String detail) {
        String id = requestId != null ? requestId : RequestIds.generate();
        Method method = request == null ? null : Methods.of(request.method());
        Exchange exchange = new Exchange(Requests.BAD, method == null ? Method.GET : method,
                server.router.rejectedMatch(), "/", id, System.nanoTime());
        exchange.unknownMethod = method == null;
        current = exchange;
        server.metrics.started();
        refuse(exchange, Response.problem(Problem.of(status, detail)));
    }

    /** Called by the writer once an exchange's response is fully handed to the channel. */
    private void finished(Exchange exchange) {
        if (current == exchange) {
            current = null;
        }
        if (writer.isClosing()) {
            return;
        }
        guard.requestFinished();
        Object next;
        // Keep feeding while the next request is still arriving: its body and end are queued behind its head.
        while (!writer.isClosing() && (current == null || !current.bodyComplete) && (next = backlog.poll()) != null) {
            handle(next);
        }
        // Only this dispatcher and a streamed upload ever pause reading: skip the channel config otherwise.
        if (backlog.isEmpty() && current == null && (readPaused || exchange.streamingBody != null)
                && !ctx.channel().config().isAutoRead()) {
            readPaused = false;
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private static String describe(Exchange exchange) {
        return exchange.method + " " + exchange.entry().template();
    }
}
