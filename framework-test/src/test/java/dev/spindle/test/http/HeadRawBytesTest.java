package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HEAD over raw bytes: the JDK client never reads a body after a HEAD head, so only a raw socket
 * sees one the server wrongly sent. A response pipelined behind the HEAD proves there were none:
 * a stray body byte would be read as the next status line.
 */
class HeadRawBytesTest {

    private static final String BIG = "spindle ".repeat(4096);
    private static final Path FILE = file("file contents\n".repeat(512));

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/text", ctx -> Response.text("hello").completed());
        app.get("/json", ctx -> Response.json(Map.of("name", "spindle")).completed());
        app.get("/gzip", ctx -> Response.text(BIG).completed());
        app.get("/stream", ctx -> Response.stream(HttpRequest.BodyPublishers.ofString("streamed body"),
                Response.TEXT_PLAIN).completed());
        app.get("/file", ctx -> Response.file(FILE, Response.OCTET_STREAM).completed());
        app.get("/after", ctx -> Response.text("after").completed());
    });

    private static Path file(String content) {
        try {
            Path file = Files.createTempFile("spindle-head", ".txt");
            file.toFile().deleteOnExit();
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/text", "/json", "/gzip", "/stream", "/file"})
    void headSendsTheHeadOnlyAndThePipelinedResponseFollowsAtOnce(String path) {
        try (RawHttp raw = server.raw()) {
            raw.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"
                    + "GET /after HTTP/1.1\r\nHost: x\r\n\r\n");

            RawHttp.Response head = raw.readHead();
            RawHttp.Response after = raw.read();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headerNames()).containsAnyOf("content-length", "transfer-encoding");
            assertThat(after.status()).as("the next bytes after the HEAD head are the next response").isEqualTo(200);
            assertThat(after.body()).isEqualTo("after");
        }
    }

    @Test
    void headDeclaresTheLengthOfTheGetBodyAndTheConnectionEndsRightAfterTheHead() {
        try (RawHttp raw = server.raw()) {
            int getLength = raw.send("GET /file HTTP/1.1\r\nHost: x\r\n\r\n").read().bytes().length;

            RawHttp.Response head = raw.send("HEAD /file HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readHead();

            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(getLength));
            assertThat(raw.isClosedByServer()).as("end of stream right after the blank line, no body byte").isTrue();
        }
    }
}
