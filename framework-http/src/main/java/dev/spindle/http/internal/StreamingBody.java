package dev.spindle.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Flow;

/**
 * A request body delivered to the handler chunk by chunk. Socket reads pause (the connection's
 * {@link ReadGate}, reason upload) while the subscriber has no demand and a couple of chunks are
 * waiting, and resume when it asks for more or the body ends,
 * so memory stays bounded whatever the upload's size. Confined to the connection's loop; calls
 * from other threads hop onto it.
 */
final class StreamingBody implements Flow.Publisher<ByteBuffer> {

    private static final int MAX_BUFFERED = 2;

    private final ChannelHandlerContext ctx;
    private final ReadGate gate;
    private final ArrayDeque<ByteBuffer> buffered = new ArrayDeque<>(MAX_BUFFERED + 2);
    private Flow.Subscriber<? super ByteBuffer> subscriber;
    private long demand;
    private boolean complete;
    private Throwable failure;
    private boolean finished;
    private boolean paused;

    StreamingBody(ChannelHandlerContext ctx, ReadGate gate) {
        this.ctx = ctx;
        this.gate = gate;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> candidate) {
        OnLoop.run(ctx.executor(), () -> {
            if (subscriber != null) {
                candidate.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                });
                candidate.onError(new IllegalStateException("The request body can be subscribed to once"));
                return;
            }
            subscriber = candidate;
            candidate.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    OnLoop.run(ctx.executor(), () -> onRequest(n));
                }

                @Override
                public void cancel() {
                    OnLoop.run(ctx.executor(), StreamingBody.this::onCancel);
                }
            });
            drain();
        });
    }

    /** A chunk arrived from the socket; copied, because the handler must never see a Netty buffer. */
    void offer(ByteBuf content) {
        if (finished || !content.isReadable()) {
            return;
        }
        ByteBuffer chunk = ByteBuffer.allocate(content.readableBytes());
        content.readBytes(chunk);
        buffered.add(chunk.flip());
        drain();
        if (!finished && demand == 0 && buffered.size() >= MAX_BUFFERED && !paused) {
            paused = true;
            gate.close(ReadGate.UPLOAD);
        }
    }

    /** The last chunk arrived. */
    void complete() {
        complete = true;
        drain();
    }

    /** The body cannot be completed (connection closed, limit exceeded, deadline passed). */
    void fail(Throwable cause) {
        if (!complete && failure == null) {
            failure = cause;
            buffered.clear();
            drain();
        }
    }

    private void onRequest(long n) {
        if (n <= 0) {
            fail(new IllegalArgumentException("request(" + n + ") (expected: > 0, Reactive Streams rule 3.9)"));
            return;
        }
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        drain();
    }

    private void onCancel() {
        finished = true;
        buffered.clear();
        resumeReading();
    }

    private void drain() {
        if (subscriber == null || finished) {
            return;
        }
        while (demand > 0 && !buffered.isEmpty()) {
            demand--;
            subscriber.onNext(buffered.poll());
            if (finished) {
                return;
            }
        }
        if (failure != null) {
            finished = true;
            resumeReading();
            subscriber.onError(failure);
        } else if (complete && buffered.isEmpty()) {
            finished = true;
            resumeReading();
            subscriber.onComplete();
        } else if (demand > 0) {
            resumeReading();
        }
    }

    private void resumeReading() {
        if (paused) {
            paused = false;
            gate.open(ReadGate.UPLOAD);
        }
    }
}
