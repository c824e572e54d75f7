package dev.spindle.test.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hundreds of MiB each way through a JVM with a 128 MiB heap (the {@code small-heap} surefire
 * execution): only backpressure end to end makes this pass, since neither body fits in memory.
 */
@Tag("small-heap")
class LargeStreamSmallHeapTest {

    private static final long SIZE = 300L * 1024 * 1024;
    private static final RouteOptions LONG = RouteOptions.builder().deadline(Duration.ofMinutes(2)).build();

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/download", LONG, ctx -> Response.stream(new GeneratedChunks(SIZE, 64 * 1024),
                "application/octet-stream").completed());
        app.post("/upload", RouteOptions.builder().streamingBody().deadline(Duration.ofMinutes(2)).build(), ctx -> {
            CountingSubscriber counter = new CountingSubscriber();
            ctx.bodyStream().subscribe(counter);
            return counter.result().thenApply(received -> Response.json(Map.of(
                    "bytes", received.bytes(), "crc", received.crc())));
        });
    });

    @Test
    void streamsAResponseLargerThanTheHeap() throws IOException, InterruptedException {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(SIZE);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<InputStream> response = client.send(server.client().request("/download").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        CRC32 crc = new CRC32();
        long bytes = 0;
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = body.read(buffer)) != -1) {
                crc.update(buffer, 0, read);
                bytes += read;
            }
        }
        assertThat(bytes).isEqualTo(SIZE);
        assertThat(crc.getValue()).isEqualTo(new GeneratedChunks(SIZE, 64 * 1024).expectedCrc());
    }

    @Test
    void streamsAnUploadLargerThanTheHeap() {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(SIZE);
        GeneratedChunks upload = new GeneratedChunks(SIZE, 64 * 1024);

        TestResponse response = server.client().send(server.client().request("/upload")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.fromPublisher(new AsByteBuffers(upload))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("bytes").asLong()).isEqualTo(SIZE);
        assertThat(response.json().get("crc").asLong()).isEqualTo(upload.expectedCrc());
    }
}
