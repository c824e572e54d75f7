package dev.spindle.http.internal;

import dev.spindle.core.Deadline;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.NoSuchFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes answers on one connection: whole bodies flushed once per read batch, streamed bodies
 * pulled as the client reads, files sent zero-copy. Every {@link #write} ends in exactly one
 * {@link Written#written} call, when the response is handed over (whole bodies) or when its last
 * byte is written (streams and files), or when the connection closes under it; if encoding fails
 * before anything was written the client gets a 500 instead. Confined to the connection's loop.
 */
final class ResponseWriter {

    /** What the connection learns about each response. */
    interface Written {
        /** The response of {@code exchange} is done with; {@code keptAlive} false when the connection closes after it. */
        void written(Exchange exchange, int status, long bytes, boolean keptAlive);

        /** Closes the connection once {@code lastWrite} completes: the answer was the last one. */
        void closeAfter(ChannelFuture lastWrite);
    }

    private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);

    private final ChannelHandlerContext ctx;
    private final ServerContext server;
    private final ResponseEncoder encoder;
    private final Written written;
    private boolean reading;
    private boolean flushPending;
    /** The stream or file response in progress, which ends later than {@link #write} returns. */
    private Exchange inProgress;
    private int inProgressStatus;
    private StreamWriter stream;

    ResponseWriter(ChannelHandlerContext ctx, ServerContext server, Written written) {
        this.ctx = ctx;
        this.server = server;
        this.encoder = new ResponseEncoder(server);
        this.written = written;
    }

    /** Inside a read batch, whole answers are written without flushing; the batch's end flushes them all. */
    void reading(boolean inRead) {
        reading = inRead;
        if (!inRead) {
            flush();
        }
    }

    /** Flushes whole answers written so far. */
    void flush() {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    /** Whether a stream or file answer is still being written. */
    boolean busy() {
        return inProgress != null;
    }

    void writabilityChanged() {
        if (stream != null) {
            stream.writabilityChanged();
        }
    }

    /** Writes {@code response} as the answer to {@code exchange}. */
    void write(Exchange exchange, Response response, boolean keepAlive) {
        boolean bodyAllowed = ResponseEncoder.bodyAllowed(response.status());
        try {
            if (bodyAllowed && response.body() instanceof Response.Body.Stream body) {
                sendStream(exchange, response, body, keepAlive && exchange.version() != HttpVersion.HTTP_1_0);
            } else if (bodyAllowed && response.body() instanceof Response.Body.File body) {
                openAndSendFile(exchange, response, body, keepAlive);
            } else {
                sendWhole(exchange, response, keepAlive);
            }
        } catch (RuntimeException e) {
            // Nothing of this answer reached the channel (every write below is the last thing that can throw).
            log.error("Cannot encode the response of {}", exchange.describe(), e);
            inProgress = null;
            sendWhole(exchange, Failures.internalError(), false);
        }
    }

    private void sendWhole(Exchange exchange, Response response, boolean keepAlive) {
        FullHttpResponse encoded;
        try {
            encoded = encoder.encode(response, exchange, ctx.alloc(), keepAlive);
        } catch (RuntimeException e) {
            log.error("Cannot encode the response of {}", exchange.describe(), e);
            keepAlive = false;
            response = Failures.internalError();
            encoded = encoder.encode(response, exchange, ctx.alloc(), false);
        }
        int bytes = encoded.content().readableBytes();
        if (!keepAlive) {
            written.closeAfter(ctx.writeAndFlush(encoded));
        } else if (reading) {
            ctx.write(encoded, ctx.voidPromise());
            flushPending = true;
        } else {
            ctx.writeAndFlush(encoded, ctx.voidPromise());
        }
        written.written(exchange, response.status(), bytes, keepAlive);
    }

    private void sendStream(Exchange exchange, Response response, Response.Body.Stream body, boolean keepAlive) {
        HttpResponse head = encoder.encodeHead(response, exchange, keepAlive, -1);
        int status = response.status();
        if (exchange.isHead()) {
            writeHeadOnly(head, keepAlive);
            written.written(exchange, status, 0, keepAlive);
            return;
        }
        flush();
        ctx.writeAndFlush(head, ctx.voidPromise());
        inProgress = exchange;
        inProgressStatus = status;
        stream = new StreamWriter(ctx, new StreamWriter.Outcome() {
            @Override
            public void completed(long bytes) {
                stream = null;
                endBody(exchange, status, bytes, keepAlive);
            }

            @Override
            public void failed(Throwable cause, long bytes) {
                stream = null;
                RequestMdc.enter(exchange.requestId());
                try {
                    log.error("The response stream of {} failed after {} bytes; closing the connection",
                            exchange.describe(), bytes, cause);
                } finally {
                    RequestMdc.exit();
                }
                ctx.close();
                finish(exchange, status, bytes, false);
            }
        });
        try {
            body.chunks().subscribe(stream);
        } catch (RuntimeException e) {
            stream.onError(e);
        }
    }

    private void openAndSendFile(Exchange exchange, Response response, Response.Body.File body, boolean keepAlive) {
        inProgress = exchange;
        inProgressStatus = response.status();
        server.blocking.submit(() -> new RandomAccessFile(body.path().toFile(), "r"), ctx.executor(), Deadline.none(),
                false).whenComplete((file, failure) -> {
                    if (inProgress != exchange) {
                        // The connection closed while the file was being opened.
                        closeQuietly(file);
                    } else if (failure == null) {
                        sendFile(exchange, response, file, body, keepAlive);
                    } else {
                        inProgress = null;
                        Throwable cause = Failures.unwrap(failure);
                        if (cause instanceof FileNotFoundException || cause instanceof NoSuchFileException) {
                            sendWhole(exchange, Response.problem(Problem.of(404, "No such file")), keepAlive);
                        } else {
                            log.error("Cannot open {} for {}", body.path(), exchange.describe(), failure);
                            sendWhole(exchange, Failures.internalError(), keepAlive);
                        }
                    }
                });
    }

    private void sendFile(Exchange exchange, Response response, RandomAccessFile file, Response.Body.File body,
                          boolean keepAlive) {
        long length;
        HttpResponse head;
        try {
            long size = file.length();
            length = body.length() < 0 ? size - body.offset() : body.length();
            if (length < 0 || body.offset() + length > size) {
                throw new IOException("The file is shorter than the region to send: it changed since it was looked at");
            }
            head = encoder.encodeHead(response, exchange, keepAlive, length);
        } catch (IOException | RuntimeException e) {
            log.error("Cannot send {} for {}", body.path(), exchange.describe(), e);
            closeQuietly(file);
            inProgress = null;
            sendWhole(exchange, Failures.internalError(), false);
            return;
        }
        flush();
        if (exchange.isHead()) {
            closeQuietly(file);
            inProgress = null;
            writeHeadOnly(head, keepAlive);
            written.written(exchange, response.status(), 0, keepAlive);
            return;
        }
        ctx.write(head, ctx.voidPromise());
        // Released (and the file closed) by Netty once sent, or when the connection closes first.
        ctx.write(new DefaultFileRegion(file.getChannel(), body.offset(), length), ctx.voidPromise());
        endBody(exchange, response.status(), length, keepAlive);
    }

    private void writeHeadOnly(HttpResponse head, boolean keepAlive) {
        if (keepAlive) {
            ctx.writeAndFlush(head, ctx.voidPromise());
        } else {
            written.closeAfter(ctx.writeAndFlush(head));
        }
    }

    /** Ends a stream or file body; the exchange is done when the last byte is written. */
    private void endBody(Exchange exchange, int status, long bytes, boolean keepAlive) {
        ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            written.closeAfter(last);
        }
        last.addListener(future -> {
            if (!future.isSuccess()) {
                ctx.close();
            }
            finish(exchange, status, bytes, keepAlive && future.isSuccess());
        });
    }

    private void finish(Exchange exchange, int status, long bytes, boolean keptAlive) {
        if (inProgress == exchange) {
            inProgress = null;
            written.written(exchange, status, bytes, keptAlive);
        }
    }

    /** The connection closed: stop the answer in progress and record it with what was sent. */
    void abort() {
        Exchange aborted = inProgress;
        if (aborted == null) {
            return;
        }
        long bytes = 0;
        if (stream != null) {
            StreamWriter stopped = stream;
            stream = null;
            stopped.abort();
            bytes = stopped.bytes();
        }
        finish(aborted, inProgressStatus, bytes, false);
    }

    private static void closeQuietly(RandomAccessFile file) {
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (IOException e) {
            log.debug("Closing a file failed", e);
        }
    }
}
