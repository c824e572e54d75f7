package dev.spindle.test.loop;

import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.zip.CRC32;

/**
 * A publisher of {@code total} deterministic bytes in chunks, produced only on demand (so a
 * stalled consumer stalls it), plus the CRC32 the bytes must have.
 */
final class GeneratedChunks implements Flow.Publisher<ByteBuffer> {

    private final long total;
    private final int chunkSize;

    GeneratedChunks(long total, int chunkSize) {
        this.total = total;
        this.chunkSize = chunkSize;
    }

    static byte byteAt(long position) {
        return (byte) (position % 251);
    }

    /** The CRC32 of the bytes this publisher produces. */
    long expectedCrc() {
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[chunkSize];
        for (long position = 0; position < total; position += chunkSize) {
            int length = (int) Math.min(chunkSize, total - position);
            fill(chunk, position, length);
            crc.update(chunk, 0, length);
        }
        return crc.getValue();
    }

    private static void fill(byte[] chunk, long position, int length) {
        for (int i = 0; i < length; i++) {
            chunk[i] = byteAt(position + i);
        }
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Flow.Subscription() {
            private long position;
            private long demand;
            private boolean emitting;
            private boolean cancelled;

            @Override
            public synchronized void request(long n) {
                demand += n;
                if (emitting) {
                    return;
                }
                emitting = true;
                while (demand > 0 && !cancelled && position < total) {
                    demand--;
                    int length = (int) Math.min(chunkSize, total - position);
                    byte[] chunk = new byte[length];
                    fill(chunk, position, length);
                    position += length;
                    subscriber.onNext(ByteBuffer.wrap(chunk));
                }
                emitting = false;
                if (position >= total && !cancelled) {
                    cancelled = true;
                    subscriber.onComplete();
                }
            }

            @Override
            public synchronized void cancel() {
                cancelled = true;
            }
        });
    }
}
