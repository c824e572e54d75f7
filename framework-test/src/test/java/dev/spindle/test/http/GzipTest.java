package dev.spindle.test.http;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GzipTest {

    private static final String SMALL = "s".repeat(1500);
    private static final String LARGE = "large body, compresses well. ".repeat(200);

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/small", ctx -> Response.text(SMALL).completed());
        app.get("/large", ctx -> Response.text(LARGE).completed());
        app.get("/binary", ctx -> Response.bytes(LARGE.getBytes(StandardCharsets.UTF_8), "image/png").completed());
    }).set("http.gzip.min-size", "2KiB");

    @Test
    void compressesALargeBodyForAClientThatAcceptsGzip() throws IOException {
        TestResponse response = server.client().get("/large", "Accept-Encoding", "br, gzip;q=0.8");

        assertThat(response).hasStatus(200).hasHeader("Content-Encoding", "gzip").hasHeader("Vary", "accept-encoding");
        byte[] compressed = response.bodyBytes();
        assertThat(response.header("Content-Length")).contains(Integer.toString(compressed.length));
        assertThat(compressed.length).isLessThan(LARGE.length());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(LARGE);
        }
    }

    @Test
    void sendsALargeBodyPlainWhenTheClientDoesNotAcceptGzipButStillVaries() {
        assertThat(server.client().get("/large")).hasStatus(200).hasBody(LARGE)
                .doesNotHaveHeader("Content-Encoding").hasHeader("Vary", "accept-encoding");
        assertThat(server.client().get("/large", "Accept-Encoding", "gzip;q=0, identity")).hasBody(LARGE)
                .doesNotHaveHeader("Content-Encoding");
    }

    @Test
    void leavesABodyUnderTheMinimumSizeAlone() {
        assertThat(server.client().get("/small", "Accept-Encoding", "gzip")).hasStatus(200).hasBody(SMALL)
                .doesNotHaveHeader("Content-Encoding");
    }

    @Test
    void leavesIncompressibleTypesAlone() {
        assertThat(server.client().get("/binary", "Accept-Encoding", "gzip")).hasStatus(200)
                .doesNotHaveHeader("Content-Encoding");
    }
}
