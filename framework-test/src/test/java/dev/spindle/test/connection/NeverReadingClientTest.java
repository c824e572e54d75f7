package dev.spindle.test.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that pipelines requests and never reads the answers, in a JVM with a 128 MiB heap and
 * 64 MiB of direct memory (the {@code small-heap} execution): the server stops reading once its
 * answers cannot be written, so the client's writes stall after a few MiB instead of the server
 * queueing answers until it runs out of memory; other clients are served meanwhile.
 */
@Tag("small-heap")
class NeverReadingClientTest {

    /** 256 MiB of requests: about 9 million, whose queued answers would need well over a GiB. */
    private static final long ATTEMPTED = 256L << 20;

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app ->
            app.get("/hi", ctx -> Response.text("Hello, World!").completed()));

    // Regression: nothing checked writability, so 2,000,000 pipelined GETs took the server from 178 MB to 3.4 GB.
    @Test
    void aClientThatNeverReadsIsHeldBackWhileOthersAreServed() throws IOException {
        byte[] one = "GET /hi HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer batch = ByteBuffer.allocate(one.length * 2048);
        while (batch.remaining() >= one.length) {
            batch.put(one);
        }
        batch.flip();
        try (SocketChannel flood = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
            flood.configureBlocking(false);
            long[] written = {0};
            int[] stalledPolls = {0};
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                long before = written[0];
                int n;
                do {
                    if (!batch.hasRemaining()) {
                        batch.rewind();
                    }
                    n = flood.write(batch);
                    written[0] += n;
                } while (n > 0 && written[0] < ATTEMPTED);
                stalledPolls[0] = written[0] == before ? stalledPolls[0] + 1 : 0;
                return stalledPolls[0] >= 5 || written[0] >= ATTEMPTED;
            });

            assertThat(written[0]).as("request bytes the server took before it stopped reading").isLessThan(64L << 20);
            assertThat(server.client().get("/hi").body()).isEqualTo("Hello, World!");
        }
        assertThat(server.client().get("/hi").status()).isEqualTo(200);
    }
}
