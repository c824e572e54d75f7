package dev.spindle.test.loop;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.zip.CRC32;

/** Reads a body chunk by chunk, one at a time, and completes with its size and CRC32. */
final class CountingSubscriber implements Flow.Subscriber<ByteBuffer> {

    /** What was received. */
    record Received(long bytes, long crc) {}

    private final CompletableFuture<Received> result = new CompletableFuture<>();
    private final CRC32 crc = new CRC32();
    private Flow.Subscription subscription;
    private long bytes;

    CompletableFuture<Received> result() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(ByteBuffer chunk) {
        bytes += chunk.remaining();
        crc.update(chunk);
        subscription.request(1);
    }

    @Override
    public void onError(Throwable failure) {
        result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        result.complete(new Received(bytes, crc.getValue()));
    }
}
