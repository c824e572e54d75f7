package dev.spindle.test.loop;

import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.Parameter;
import dev.spindle.test.TestClient;
import dev.spindle.test.Protocol;
import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@ParameterizedClass
@EnumSource(Protocol.class)
class StreamingTest {

    private static final long SIZE = 3 * 1024 * 1024 + 17;

    @TempDir
    static Path files;

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/ping", ctx -> Response.text("pong").completed());
        app.get("/download", ctx -> Response.stream(new GeneratedChunks(SIZE, 16 * 1024), "application/octet-stream")
                .completed());
        app.post("/upload", RouteOptions.builder().streamingBody().build(), ctx -> {
            CountingSubscriber counter = new CountingSubscriber();
            ctx.bodyStream().subscribe(counter);
            return counter.result().thenApply(received -> Response.json(Map.of(
                    "bytes", received.bytes(), "crc", received.crc())));
        });
        app.post("/aggregated", ctx -> {
            ctx.bodyStream();
            return Response.text("unreachable").completed();
        });
        app.get("/files/{name}", ctx -> Response.file(files.resolve(ctx.pathParam("name")), "text/plain").completed());
    });

    @Parameter
    Protocol protocol;

    /** A client over the protocol of this run: each test runs over HTTP/1.1, h2c and h2 (TLS). */
    private TestClient client() {
        return server.client(protocol);
    }

    @Test
    void streamsAGeneratedResponseChunkedAndComplete() {
        TestResponse response = client().get("/download");

        assertThat(response).hasStatus(200).doesNotHaveHeader("Content-Length");
        if (protocol == Protocol.HTTP_1_1) {
            assertThat(response).hasHeader("Transfer-Encoding", "chunked");
        } else {
            assertThat(response).doesNotHaveHeader("Transfer-Encoding"); // HTTP/2 frames the body itself
        }
        byte[] body = response.bodyBytes();
        assertThat(body).hasSize((int) SIZE);
        assertThat(crc(body)).isEqualTo(new GeneratedChunks(SIZE, 16 * 1024).expectedCrc());
    }

    @Test
    void aHeadRequestOnAStreamedRouteGetsTheHeadOnly() {
        try (RawHttp raw = server.raw()) {
            raw.send("HEAD /download HTTP/1.1\r\nHost: test\r\n\r\nGET /files/missing.txt HTTP/1.1\r\nHost: test\r\n\r\n");

            RawHttp.Response head = raw.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("transfer-encoding")).isEqualTo("chunked");
            // No body and no chunk framing follow the head: the next bytes are the next response.
            RawHttp.Response next = raw.read();
            assertThat(next.status()).isEqualTo(404);
        }
    }

    @Test
    void streamsAnUploadToTheHandlerChunkByChunk() {
        GeneratedChunks upload = new GeneratedChunks(SIZE, 8 * 1024);
        // h2c is reached by upgrading a first request whose body is small and known: never a streamed upload.
        client().get("/ping");

        TestResponse response = client().send(client().request("/upload")
                .POST(HttpRequest.BodyPublishers.fromPublisher(new AsByteBuffers(upload))));

        assertThat(response).hasStatus(200);
        assertThat(response.json().get("bytes").asLong()).isEqualTo(SIZE);
        assertThat(response.json().get("crc").asLong()).isEqualTo(upload.expectedCrc());
    }

    @Test
    void readingTheStreamOfAnAggregatingRouteIsAProgrammingError() {
        assertThat(client().post("/aggregated", "{}")).isProblem(500);
    }

    @Test
    void sendsAFileWithItsLengthAnd404ForAMissingOne() throws IOException {
        Files.writeString(files.resolve("notes.txt"), "file body ".repeat(1000));

        assertThat(client().get("/files/notes.txt")).hasStatus(200).hasHeader("Content-Length", "10000")
                .hasBody("file body ".repeat(1000));
        assertThat(client().get("/files/absent.txt")).isProblem(404);
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
