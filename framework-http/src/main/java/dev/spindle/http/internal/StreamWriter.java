package dev.spindle.http.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * Writes a streamed response body: asks the publisher for one chunk at a time and only while
 * the channel is writable, so a slow client holds back the producer instead of filling the
 * server's memory. Confined to the connection's loop.
 */
final class StreamWriter implements Flow.Subscriber<ByteBuffer> {

    /** What the writer does when the stream ends. */
    interface Outcome {
        void completed(long bytes);

        void failed(Throwable cause, long bytes);
    }

    private final ChannelHandlerContext ctx;
    private final Outcome outcome;
    private Flow.Subscription subscription;
    private boolean requested;
    private boolean done;
    private long bytes;

    StreamWriter(ChannelHandlerContext ctx, Outcome outcome) {
        this.ctx = ctx;
        this.outcome = outcome;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        OnLoop.run(ctx.executor(), () -> {
            if (this.subscription != null || done) {
                subscription.cancel();
                return;
            }
            this.subscription = subscription;
            requestIfWritable();
        });
    }

    @Override
    public void onNext(ByteBuffer chunk) {
        OnLoop.run(ctx.executor(), () -> {
            if (done) {
                return;
            }
            requested = false;
            if (chunk.hasRemaining()) {
                bytes += chunk.remaining();
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)), ctx.voidPromise());
            }
            // Ask for the next chunk from a fresh task: a publisher that emits synchronously
            // inside request() must not grow the stack by one frame per chunk.
            ctx.executor().execute(this::requestIfWritable);
        });
    }

    @Override
    public void onError(Throwable cause) {
        OnLoop.run(ctx.executor(), () -> {
            if (!done) {
                done = true;
                outcome.failed(cause, bytes);
            }
        });
    }

    @Override
    public void onComplete() {
        OnLoop.run(ctx.executor(), () -> {
            if (!done) {
                done = true;
                outcome.completed(bytes);
            }
        });
    }

    /** Body bytes written so far. */
    long bytes() {
        return bytes;
    }

    /** The channel's writability changed: resume pulling when it drained. */
    void writabilityChanged() {
        requestIfWritable();
    }

    /** The connection closed under the stream: stop the publisher. */
    void abort() {
        if (!done) {
            done = true;
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }

    private void requestIfWritable() {
        if (!done && !requested && subscription != null && ctx.channel().isWritable()) {
            requested = true;
            subscription.request(1);
        }
    }
}
