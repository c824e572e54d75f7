package dev.spindle.http.internal;

import dev.spindle.core.Deadline;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each exchange's response on its connection: whole bodies flushed once per read batch,
 * streamed bodies pulled as the client reads, files sent zero-copy. Records the request's metrics
 * and access-log line once the response is handed to the channel, then tells the dispatcher.
 */
final class ResponseWriter {

    private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);
    private static final Logger accessLog = LoggerFactory.getLogger("dev.spindle.access");

    /** The status nginx made the convention for "the client closed the connection before the answer". */
    private static final int CLIENT_CLOSED_REQUEST = 499;

    private final ChannelHandlerContext ctx;
    private final ServerContext server;
    private final ResponseEncoder encoder;
    private final Consumer<Exchange> finished;
    private final BooleanSupplier requestsQueued;
    private final boolean http2;
    private boolean reading;
    private boolean flushPending;
    private boolean closing;
    private StreamWriter stream;
    private Exchange streamed;
    private int streamedStatus;

    ResponseWriter(ChannelHandlerContext ctx, ServerContext server, Consumer<Exchange> finished,
                   BooleanSupplier requestsQueued) {
        this.ctx = ctx;
        this.server = server;
        this.encoder = new ResponseEncoder(server);
        this.finished = finished;
        this.requestsQueued = requestsQueued;
        this.http2 = ctx.channel() instanceof Http2StreamChannel;
    }

    /** Inside a read batch, responses are written without flushing; the batch's end flushes them all. */
    void reading(boolean inRead) {
        reading = inRead;
        if (!inRead && flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    /** The next response closes the connection. */
    void closeAfterResponse() {
        closing = true;
    }

    /** The connection is closed or closing. */
    void closing() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }

    void writabilityChanged() {
        if (stream != null) {
            stream.writabilityChanged();
        }
    }

    /** The connection closed: stop any stream in progress and record its request. */
    void aborted() {
        StreamWriter aborted = stream;
        if (aborted != null) {
            stream = null;
            aborted.abort();
            done(streamed, streamedStatus, aborted.bytes());
        }
    }

    /** Answers {@code exchange}; the one way a response reaches the channel. */
    void respond(Exchange exchange, Response response) {
        exchange.state = Exchange.State.RESPONDED;
        if (exchange.timer != null) {
            exchange.timer.cancel(false);
            exchange.timer = null;
        }
        if (exchange.streamingBody != null && !exchange.bodyComplete) {
            closing = true;
        }
        boolean bodyAllowed = ResponseEncoder.bodyAllowed(response.status());
        if (bodyAllowed && response.body() instanceof Response.Body.Stream body) {
            sendStream(exchange, response, body);
        } else if (bodyAllowed && response.body() instanceof Response.Body.File body) {
            openAndSendFile(exchange, response, body);
        } else {
            sendWhole(exchange, response);
        }
    }

    private boolean keepAlive(Exchange exchange) {
        // While draining, stay open for requests already queued behind this one: each gets a 503, the last closes.
        return !closing && (!server.draining() || requestsQueued.getAsBoolean())
                && HttpUtil.isKeepAlive(exchange.request);
    }

    private void sendWhole(Exchange exchange, Response response) {
        boolean keepAlive = keepAlive(exchange);
        FullHttpResponse encoded;
        try {
            encoded = encoder.encode(response, exchange, ctx.alloc(), keepAlive);
        } catch (RuntimeException e) {
            log.error("Cannot encode the response of {} {}", exchange.method, exchange.entry().template(), e);
            keepAlive = false;
            response = Failures.internalError();
            encoded = encoder.encode(response, exchange, ctx.alloc(), false);
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
        done(exchange, response.status(), bytes);
    }

    private void sendStream(Exchange exchange, Response response, Response.Body.Stream body) {
        boolean keepAlive = keepAlive(exchange) && exchange.version() != HttpVersion.HTTP_1_0;
        ctx.writeAndFlush(encoder.encodeHead(response, exchange, keepAlive, -1), ctx.voidPromise());
        if (exchange.isHead()) {
            endBody(exchange, response.status(), 0, keepAlive);
            return;
        }
        streamed = exchange;
        streamedStatus = response.status();
        stream = new StreamWriter(ctx, new StreamWriter.Outcome() {
            @Override
            public void completed(long bytes) {
                stream = null;
                endBody(exchange, response.status(), bytes, keepAlive);
            }

            @Override
            public void failed(Throwable cause, long bytes) {
                stream = null;
                RequestMdc.enter(exchange.requestId());
                log.error("The response stream of {} {} failed after {} bytes; closing the connection",
                        exchange.method, exchange.entry().template(), bytes, cause);
                RequestMdc.exit();
                closing = true;
                ctx.close();
                done(exchange, response.status(), bytes);
            }
        });
        try {
            body.chunks().subscribe(stream);
        } catch (RuntimeException e) {
            stream.onError(e);
        }
    }

    private void endBody(Exchange exchange, int status, long bytes, boolean keepAlive) {
        if (keepAlive) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
        } else {
            closing = true;
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
        done(exchange, status, bytes);
    }

    private void openAndSendFile(Exchange exchange, Response response, Response.Body.File body) {
        Path path = body.path();
        server.blocking.submit(() -> new RandomAccessFile(path.toFile(), "r"), ctx.executor(), Deadline.none(), false)
                .whenComplete((file, failure) -> {
                    if (failure == null) {
                        sendFile(exchange, response, file, body);
                    } else if (Failures.unwrap(failure) instanceof java.io.FileNotFoundException
                            || Failures.unwrap(failure) instanceof NoSuchFileException) {
                        sendWhole(exchange, Response.problem(Problem.of(404, "No such file")));
                    } else {
                        log.error("Cannot open {} for {} {}", path, exchange.method, exchange.entry().template(),
                                failure);
                        sendWhole(exchange, Failures.internalError());
                    }
                });
    }

    private void sendFile(Exchange exchange, Response response, RandomAccessFile file, Response.Body.File body) {
        long length;
        try {
            long size = file.length();
            length = body.length() < 0 ? size - body.offset() : body.length();
            if (length < 0 || body.offset() + length > size) {
                throw new IOException("The file is shorter than the region to send: it changed since it was looked at");
            }
        } catch (IOException e) {
            log.error("Cannot send {} for {} {}", body.path(), exchange.method, exchange.entry().template(), e);
            closeQuietly(file);
            sendWhole(exchange, Failures.internalError());
            return;
        }
        boolean keepAlive = keepAlive(exchange);
        ctx.write(encoder.encodeHead(response, exchange, keepAlive, length), ctx.voidPromise());
        if (exchange.isHead()) {
            closeQuietly(file);
        } else {
            // Released (and the file closed) by Netty once sent; sendfile() on epoll and NIO.
            ctx.write(new DefaultFileRegion(file.getChannel(), body.offset(), length), ctx.voidPromise());
        }
        endBody(exchange, response.status(), exchange.isHead() ? 0 : length, keepAlive);
    }

    private static void closeQuietly(RandomAccessFile file) {
        try {
            file.close();
        } catch (IOException e) {
            log.debug("Closing a file failed", e);
        }
    }

    /** The client left before its answer: nothing is written, the request is recorded as 499. */
    void abandoned(Exchange exchange) {
        exchange.state = Exchange.State.RESPONDED;
        if (exchange.timer != null) {
            exchange.timer.cancel(false);
            exchange.timer = null;
        }
        done(exchange, CLIENT_CLOSED_REQUEST, 0);
    }

    /** Records the request and hands control back to the dispatcher. */
    private void done(Exchange exchange, int status, long bytes) {
        long nanos = System.nanoTime() - exchange.startNanos;
        server.metrics.finished();
        (exchange.unknownMethod ? exchange.entry().otherTimers() : exchange.entry().timers(exchange.method))
                .record(status, nanos, http2);
        if (server.accessLog) {
            RequestMdc.enter(exchange.requestId());
            accessLog.info("{} {} {} {}B {}ms {}", exchange.method, exchange.entry().template(), status, bytes,
                    nanos / 1_000_000, exchange.requestId());
            RequestMdc.exit();
        }
        finished.accept(exchange);
    }
}
