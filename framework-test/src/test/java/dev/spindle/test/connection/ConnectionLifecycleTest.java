package dev.spindle.test.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One connection's lifecycle: pipelining, idle and read timers, writes that outlast the idle timeout, the read gate. */
class ConnectionLifecycleTest {

    private static final int BIG = 32 << 20;
    private static Path bigFile;

    @BeforeAll
    static void writeBigFile() throws IOException {
        bigFile = Files.createTempFile("spindle-big", ".bin");
        Files.write(bigFile, new byte[BIG]);
    }

    @AfterAll
    static void deleteBigFile() throws IOException {
        Files.deleteIfExists(bigFile);
    }

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/hi", ctx -> Response.text("hi").completed());
        app.get("/later", ctx -> ctx.delay(Duration.ofMillis(100)).thenApply(done -> Response.text("later")));
        app.get("/depth", ctx -> Response.text(Long.toString(StackWalker.getInstance().walk(frames -> frames.count())))
                .completed());
        app.post("/echo", ctx -> Response.text(ctx.bodyText()).completed());
        app.get("/file", ctx -> Response.file(bigFile, "application/octet-stream").completed());
        app.get("/bytes", ctx -> Response.bytes(new byte[BIG], "application/octet-stream").completed());
        app.post("/upload", RouteOptions.builder().streamingBody().build(), ctx -> {
            LateSubscriber subscriber = new LateSubscriber(ctx);
            ctx.bodyStream().subscribe(subscriber);
            return subscriber.done.thenApply(bytes -> Response.text("received " + bytes));
        });
    })
            .set("http.header-read-timeout", "300ms")
            .set("http.idle-timeout", "300ms");

    // Regression: the drain of pipelined requests recursed once per queued request (finished -> handle -> ... ->
    // finished), so thousands in one read grew the loop's stack until it overflowed.
    @Test
    void thousandsOfPipelinedRequestsAreServedWithoutGrowingTheStack() {
        int count = 3000;
        StringBuilder requests = new StringBuilder("GET /later HTTP/1.1\r\nHost: x\r\n\r\n");
        for (int i = 0; i < count; i++) {
            requests.append("GET /depth HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        try (RawHttp raw = server.raw()) {
            raw.send(requests.toString());
            assertThat(raw.read().body()).isEqualTo("later");
            List<Long> depths = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                RawHttp.Response response = raw.read();
                assertThat(response.status()).isEqualTo(200);
                depths.add(Long.parseLong(response.body()));
            }
            long min = depths.stream().mapToLong(Long::longValue).min().orElseThrow();
            long max = depths.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(max - min).as("stack depth spread over the pipelined requests").isLessThan(40);
        }
    }

    // Regression: a body that arrived in a later read than its head was taken for the start of the next request,
    // and the idle connection got an unsolicited 408 instead of a quiet close.
    @Test
    void anIdleConnectionClosesQuietlyAfterABodyThatArrivedInALaterRead() {
        try (RawHttp raw = server.raw()) {
            // The server's 100 Continue proves it read the head: the body can only arrive in a later read.
            raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(100);
            raw.send("hello");
            assertThat(raw.read().body()).isEqualTo("hello");

            assertThat(raw.isClosedByServer()).as("closed with no bytes sent").isTrue();
        }
    }

    // Regression: a file counted as finished when queued, so the idle timer cut a download still in progress.
    @Test
    void aFileDownloadSlowerThanTheIdleTimeoutCompletes() throws IOException {
        assertThat(downloadWithAPause("/file")).isEqualTo(BIG);
    }

    @Test
    void aLargeWholeResponseReadSlowerThanTheIdleTimeoutCompletes() throws IOException {
        assertThat(downloadWithAPause("/bytes")).isEqualTo(BIG);
    }

    // Regression: a streamed upload that paused reading, followed by a pipelined request that was still running
    // when the upload's exchange finished, left reading paused for good: the connection never read again.
    @Test
    void readingResumesAfterAPausedUploadFollowedByAPipelinedRequest() {
        try (RawHttp raw = server.raw()) {
            raw.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n5\r\nhello\r\n5\r\nhello\r\n5\r\nhello\r\n0\r\n\r\n"
                    + "GET /later HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(raw.read().body()).isEqualTo("received 20");
            assertThat(raw.read().body()).isEqualTo("later");

            assertThat(raw.send("GET /hi HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("hi");
        }
    }

    /** Reads the head and 64 KiB, stops reading for longer than the idle timeout, then reads the rest. */
    private static long downloadWithAPause(String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            long length = contentLength(in);
            byte[] buffer = new byte[64 << 10];
            long received = in.readNBytes(buffer, 0, buffer.length);
            await().pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(() -> true);
            int n;
            while (received < length && (n = in.read(buffer)) > 0) {
                received += n;
            }
            return received;
        }
    }

    private static long contentLength(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the head ended: " + head);
            }
            head.append((char) b);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        throw new IOException("no Content-Length in " + head);
    }

    /** Asks for nothing until a moment after subscribing, then for everything: reading pauses in between. */
    static final class LateSubscriber implements Flow.Subscriber<ByteBuffer> {

        final CompletableFuture<Long> done = new CompletableFuture<>();
        private final dev.spindle.http.Context ctx;
        private long bytes;

        LateSubscriber(dev.spindle.http.Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            ctx.delay(Duration.ofMillis(100)).thenRun(() -> subscription.request(Long.MAX_VALUE));
        }

        @Override
        public void onNext(ByteBuffer chunk) {
            bytes += chunk.remaining();
        }

        @Override
        public void onError(Throwable failure) {
            done.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            done.complete(bytes);
        }
    }
}
