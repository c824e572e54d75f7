package dev.spindle.http.internal;

import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.x connection's whole life, as one state machine advanced by codec events, write
 * completions and its clock:
 *
 * <pre>
 *   IDLE ──bytes──> READING_HEAD ──head──> READING_BODY ──last chunk──> HANDLING ──answer──> WRITING
 *    ^                                          (streamed bodies are handled while they arrive)   │
 *    └────────────────────── last byte of the answer written, keep-alive ───────────────────────┘
 *   any state ──refusal with close, timeout, error, client gone──> CLOSING
 * </pre>
 *
 * Requests are served one at a time in arrival order; pipelined ones wait in a bounded queue,
 * drained by a loop (never a recursion) and only while the client reads its answers. Whether the
 * socket is read is decided by one {@link ReadGate}. Timers follow the state: idle (closed
 * quietly), head and body reads (408), writes that do not drain (closed). The jobs it delegates:
 * {@link Admission} (refuse or route a head), {@link ExchangeRunner} (run the handler, deadline),
 * {@link ResponseWriter} (bytes out), {@link Accounting} (metrics and access log, once per exchange).
 */
final class Connection extends ChannelInboundHandlerAdapter implements ResponseWriter.Written, ExchangeRunner.Answers {

    enum State { IDLE, READING_HEAD, READING_BODY, HANDLING, WRITING, CLOSING }

    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final FullHttpResponse CONTINUE =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE);

    private final ServerContext server;
    private final Admission admission;
    private final Accounting accounting;
    private final ExchangeRunner runner;
    private final PipelineQueue queue;
    private ChannelHandlerContext ctx;
    private RequestDecoder decoder;
    private ReadGate gate;
    private ResponseWriter writer;
    private ConnectionClock clock;
    private State state = State.IDLE;
    /** The exchange being received, handled or written. */
    private RequestScope current;
    /** Its body, while it arrives. */
    private RequestBody body;
    private boolean inRead;
    private boolean inDrainLoop;
    private boolean closeAfterAnswer;
    /** The client is still sending a body the server will not read: close lingering. */
    private boolean bodyUnread;
    private boolean shuttingDown;

    Connection(ServerContext server) {
        this.server = server;
        this.admission = new Admission(server);
        this.accounting = new Accounting(server);
        this.runner = new ExchangeRunner(server, this);
        this.queue = new PipelineQueue(server.maxPipelined);
    }

    State state() {
        return state;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.decoder = ctx.pipeline().get(RequestDecoder.class);
        boolean http2 = ctx.channel() instanceof Http2StreamChannel;
        accounting.http2(http2);
        admission.http2(http2);
        this.gate = new ReadGate(ctx.channel());
        queue.gate(gate);
        this.writer = new ResponseWriter(ctx, server, this);
        // Without a decoder (an HTTP/2 stream) the parent connection keeps time.
        this.clock = decoder == null ? null : new ConnectionClock(this, server);
        if (clock != null && ctx.channel().isActive()) {
            clock.start(ctx);
        }
    }

    /** Taken out (the connection switched to HTTP/2 or to a WebSocket): its timers stop with it. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (clock != null) {
            clock.stop();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (clock != null) {
            clock.start(ctx);
        }
        ctx.fireChannelActive();
    }

    // ---- Inbound: the codec's events ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inRead = true;
        writer.reading(true);
        if (state == State.CLOSING) {
            ReferenceCountUtil.release(msg);
        } else if (queue.isEmpty() && !inDrainLoop && accepts(msg)) {
            process(msg);
        } else {
            queue.add(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        writer.reading(false);
        if (state == State.IDLE && !betweenRequests()) {
            enter(State.READING_HEAD);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        gate.set(ReadGate.UNWRITABLE, !writable);
        writer.writabilityChanged();
        if (writable) {
            drainQueue();
        } else {
            writer.flush();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        enter(State.CLOSING);
        if (clock != null) {
            clock.stop();
        }
        queue.release();
        failUpload(new IOException("The client closed the connection during the upload"));
        writer.abort();
        RequestScope left = current;
        if (left != null && left.exchange.answer()) {
            // Nobody is left to answer: record the request as the client's doing and stop its work.
            current = null;
            accounting.finished(left.exchange, Accounting.CLIENT_CLOSED_REQUEST, 0);
            left.cancel();
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

    // ---- Sequencing: one exchange at a time, the rest queued ----

    /** Whether {@code msg} can be processed now: a head when no exchange runs and answers can be written. */
    private boolean accepts(Object msg) {
        if (msg instanceof HttpRequest) {
            return current == null && ctx.channel().isWritable();
        }
        return true;
    }

    /** Serves queued messages while it can: a loop, so thousands of pipelined requests never deepen the stack. */
    private void drainQueue() {
        if (inDrainLoop || state == State.CLOSING) {
            return; // the loop below (further up this stack) picks up whatever became possible
        }
        inDrainLoop = true;
        writer.reading(true);
        try {
            Object msg;
            while (state != State.CLOSING && (msg = queue.peek()) != null && accepts(msg)) {
                process(queue.poll());
            }
        } finally {
            inDrainLoop = false;
            writer.reading(inRead);
        }
        queue.drained();
    }

    private void process(Object msg) {
        if (!(msg instanceof HttpRequest) && !(msg instanceof HttpContent)) {
            // Another protocol took the connection over (a WebSocket after its upgrade): not ours to read.
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (msg instanceof HttpRequest request) {
                onHead(request);
            }
            if (msg instanceof HttpContent content && state != State.CLOSING) {
                onContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    // ---- Receiving ----

    private void onHead(HttpRequest request) {
        accounting.started(); // before admission: the overload gate counts this request as in flight
        Exchange exchange = admission.admit(request, System.nanoTime());
        RequestScope scope = new RequestScope(exchange, ctx.executor());
        current = scope;
        Response refusal = admission.refusal();
        if (refusal != null) {
            closeAfterAnswer |= admission.closeAfterRefusal();
            bodyUnread = Admission.declaresBody(request);
            enter(State.HANDLING);
            answer(exchange, refusal);
            return;
        }
        closeAfterAnswer |= admission.closeAfterRefusal();
        DefaultContext context = new DefaultContext(ctx.channel(), scope, server);
        scope.context(context);
        boolean complete = request instanceof LastHttpContent || admission.answerBeforeBody();
        boolean hasBody = !complete && admission.hasBody();
        if (exchange.entry().streamingBody()) {
            StreamingBody stream = new StreamingBody(ctx, gate);
            context.streamingBody(stream);
            body = RequestBody.streamed(exchange.entry().maxBodySize(), stream);
            enter(State.READING_BODY);
            continueIfExpected();
            runner.run(scope);
        } else if (hasBody) {
            body = RequestBody.aggregated(exchange.entry().maxBodySize(), admission.contentLength());
            enter(State.READING_BODY);
            continueIfExpected();
            runner.armDeadline(scope);
        } else if (!complete) {
            // A head without a body is followed by its (empty) last chunk, which starts the handler.
            body = RequestBody.EMPTY;
            enter(State.READING_BODY);
        } else {
            enter(State.HANDLING);
            runner.run(scope);
        }
    }

    private void continueIfExpected() {
        if (admission.expectsContinue()) {
            ctx.writeAndFlush(CONTINUE.retainedDuplicate(), ctx.voidPromise());
        }
    }

    private void onContent(HttpContent content) {
        RequestScope scope = current;
        RequestBody receiving = body;
        if (scope == null || receiving == null) {
            return; // the rest of a body whose request was refused; the connection closes after the answer
        }
        if (content.decoderResult().isFailure()) {
            refuseBody(scope.exchange, Response.problem(Problem.of(400, "Malformed request body: "
                    + content.decoderResult().cause().getMessage())));
            return;
        }
        try {
            receiving.add(content.content());
        } catch (dev.spindle.http.HttpException e) {
            refuseBody(scope.exchange, e.toResponse());
            return;
        }
        if (clock != null) {
            clock.progress();
        }
        if (!(content instanceof LastHttpContent)) {
            return;
        }
        body = null;
        gate.open(ReadGate.UPLOAD);
        if (shuttingDown) {
            gate.close(ReadGate.DRAINING);
        }
        if (receiving.stream() != null) {
            receiving.stream().complete();
            if (state == State.READING_BODY) {
                enter(State.HANDLING);
            }
        } else {
            scope.context().body(receiving.take());
            enter(State.HANDLING);
            runner.run(scope);
        }
    }

    /** The body cannot be read to its end: answer (if not yet) and close. */
    @Override
    public void refuse(Exchange exchange, Response response) {
        refuseBody(exchange, response);
    }

    @Override
    public boolean receiving(Exchange exchange) {
        return current != null && current.exchange == exchange && body != null;
    }

    private void refuseBody(Exchange exchange, Response response) {
        closeAfterAnswer = true;
        bodyUnread = true;
        failUpload(new IOException("The request body was refused: " + response.status()));
        body = null;
        if (!answer(exchange, response)) {
            ctx.close();
        }
        if (current != null && current.exchange == exchange) {
            current.cancel();
        }
    }

    private void failUpload(IOException cause) {
        if (body != null && body.stream() != null) {
            body.stream().fail(cause);
        }
    }

    // ---- Answering: exactly once, accounted exactly once ----

    /** Answers {@code exchange} unless it already was; the one way a response reaches the writer. */
    @Override
    public boolean answer(Exchange exchange, Response response) {
        if (!exchange.answer()) {
            return false;
        }
        RequestScope scope = current;
        if (scope != null && scope.exchange == exchange) {
            scope.disarm();
        }
        if (response.status() == 101) {
            ConnectionUpgrade upgrade = scope != null && scope.exchange == exchange && body == null
                    ? ConnectionHooks.upgrade(scope.context()).orElse(null) : null;
            if (upgrade != null) {
                takeOver(scope, response, upgrade);
                return true;
            }
            log.error("{} answered 101 without taking the connection over; the client gets a 500", exchange.describe());
            response = Response.problem(Problem.of(500, "Internal Server Error"));
        }
        if (body != null) {
            // Answered before its body ended: the rest will not be read, so the connection cannot be reused.
            closeAfterAnswer = true;
            bodyUnread = true;
        }
        enter(State.WRITING);
        writer.write(exchange, response, keepAlive(exchange));
        return true;
    }

    /**
     * The route takes the connection over (a WebSocket whose 101 came back through the middleware):
     * the request is accounted as 101, HTTP's timers and this handler leave, and the new protocol
     * writes the 101 itself (with what middleware set) and installs its handlers.
     */
    private void takeOver(RequestScope scope, Response response, ConnectionUpgrade upgrade) {
        Exchange exchange = scope.exchange;
        io.netty.handler.codec.http.HttpHeaders headers = writer.upgradeHeaders(response, exchange);
        accounting.finished(exchange, 101, 0);
        current = null;
        enter(State.CLOSING);
        if (clock != null) {
            clock.stop();
        }
        queue.release();
        gate.openAll(); // the new protocol reads at its own pace
        try {
            upgrade.takeOver(ctx.channel(), exchange.request, headers, server.longLived);
        } catch (RuntimeException e) {
            log.error("Cannot take over the connection of {}; closing it", exchange.describe(), e);
            ctx.close();
        }
        ctx.pipeline().remove(this);
    }

    private boolean keepAlive(Exchange exchange) {
        // While shutting down, stay open for requests already queued: each gets its 503, the last one closes.
        return !closeAfterAnswer && (!server.draining() || queue.hasRequests()) && HttpUtil.isKeepAlive(exchange.request);
    }

    /** The writer is done with an answer: account for it, then move on to the next request or close. */
    @Override
    public void written(Exchange exchange, int status, long bytes, boolean keptAlive) {
        accounting.finished(exchange, status, bytes);
        if (current != null && current.exchange == exchange) {
            current = null;
            body = null;
        }
        if (!keptAlive || state == State.CLOSING) {
            enter(State.CLOSING);
            queue.release();
            return;
        }
        enter(betweenRequests() ? State.IDLE : State.READING_HEAD);
        if (shuttingDown && queue.isEmpty()) {
            ctx.close();
            return;
        }
        drainQueue();
    }

    /** Closes after the last answer; lingering when the client is still sending a body nobody reads. */
    @Override
    public void closeAfter(io.netty.channel.ChannelFuture lastWrite) {
        enter(State.CLOSING);
        if (bodyUnread) {
            LingeringClose.after(lastWrite, ctx, gate);
        } else {
            lastWrite.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }
    }

    // ---- Shutdown and timers ----

    /** Graceful shutdown: close now if idle, otherwise after the answers in progress and queued. */
    void drain() {
        shuttingDown = true;
        if (current == null && queue.isEmpty()) {
            ctx.close();
        } else if (body == null) {
            gate.close(ReadGate.DRAINING);
        }
    }

    /** The head being read took longer than the header-read timeout. */
    void headTimedOut() {
        accounting.started();
        Exchange exchange = admission.rejected(null, null, 408, "The request's headers did not arrive in time",
                System.nanoTime());
        current = new RequestScope(exchange, ctx.executor());
        closeAfterAnswer = true;
        answer(exchange, admission.refusal());
    }

    /** No byte of the body arrived within the body-read timeout. */
    void bodyTimedOut() {
        if (current != null && body != null) {
            server.metrics.deadlineExceeded();
            refuseBody(current.exchange, Response.problem(Problem.of(408,
                    "The request body stopped arriving for longer than the body-read timeout")));
        }
    }

    /** Whether the decoder stands between requests (no byte of the next one has arrived). */
    boolean betweenRequests() {
        return decoder == null || decoder.betweenRequests();
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    /** Moves to {@code next}; the clock restarts for the new state. */
    void enter(State next) {
        if (state != next && state != State.CLOSING) {
            state = next;
            if (clock != null) {
                clock.progress();
            }
        }
    }
}
