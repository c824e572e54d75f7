package dev.spindle.test.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upload whose subscriber withholds demand: the server delivers nothing it was not asked for
 * and stops reading the socket, so the client's writes stall far short of the body (kernel
 * buffers hold a few MiB, the body is 64 MiB); demand given later resumes reading to the end.
 */
class UploadBackpressureTest {

    private static final long TOTAL = 64L << 20;
    private static final AtomicReference<GatedSubscriber> subscriber = new AtomicReference<>();

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> app.post("/gated",
            RouteOptions.builder().streamingBody().deadline(Duration.ofMinutes(2)).build(), ctx -> {
                GatedSubscriber gated = new GatedSubscriber();
                subscriber.set(gated);
                ctx.bodyStream().subscribe(gated);
                return gated.done.thenApply(bytes -> Response.text("received " + bytes));
            }));

    private final AtomicLong written = new AtomicLong();
    private Thread writer;

    @AfterEach
    void stopWriter() throws InterruptedException {
        GatedSubscriber gated = subscriber.get();
        if (gated != null) {
            gated.open();
        }
        if (writer != null) {
            writer.join(Duration.ofSeconds(30).toMillis());
        }
    }

    /** Takes one chunk, then asks for more only once opened. */
    static final class GatedSubscriber implements Flow.Subscriber<ByteBuffer> {

        final CompletableFuture<Long> done = new CompletableFuture<>();
        final AtomicLong chunks = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        private volatile Flow.Subscription subscription;
        private volatile boolean open;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(ByteBuffer chunk) {
            chunks.incrementAndGet();
            bytes.addAndGet(chunk.remaining());
            if (open) {
                subscription.request(1);
            }
        }

        void open() {
            open = true;
            Flow.Subscription current = subscription;
            if (current != null) {
                current.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            done.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            done.complete(bytes.get());
        }
    }

    @Test
    void aSubscriberWithoutDemandStopsTheServerReadingAndDemandResumesIt() {
        try (RawHttp raw = server.raw()) {
            writer = new Thread(() -> upload(raw), "test-upload-writer");
            writer.start();
            await().until(() -> subscriber.get() != null && subscriber.get().chunks.get() == 1);

            long stalledAt = awaitStalled();

            GatedSubscriber gated = subscriber.get();
            assertThat(stalledAt).as("bytes the client could write while nobody asked for them").isLessThan(TOTAL / 2);
            assertThat(gated.chunks).as("chunks delivered without demand").hasValue(1);

            gated.open();
            RawHttp.Response response = raw.read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("received " + TOTAL);
            assertThat(written).hasValue(TOTAL);
        }
    }

    private void upload(RawHttp raw) {
        raw.send("POST /gated HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + TOTAL + "\r\n\r\n");
        byte[] piece = new byte[64 << 10];
        for (long sent = 0; sent < TOTAL; sent += piece.length) {
            raw.send(piece);
            written.addAndGet(piece.length);
        }
    }

    /** Waits until the client's writes stop advancing (or the whole body went through) and returns the count. */
    private long awaitStalled() {
        long[] last = {-1};
        int[] unchanged = {0};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            long now = written.get();
            unchanged[0] = now == last[0] ? unchanged[0] + 1 : 0;
            last[0] = now;
            return unchanged[0] >= 5 || now == TOTAL;
        });
        return last[0];
    }
}
