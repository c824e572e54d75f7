package dev.spindle.test.middleware;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.StaticFiles;
import dev.spindle.test.RawHttp;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaticFilesTest {

    @TempDir
    static Path temp;
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        Path root = Files.createDirectories(temp.resolve("public"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "SECRET");
        Files.writeString(root.resolve("digits.txt"), "0123456789");
        Files.writeString(root.resolve("app.js"), "console.log('identity')");
        Files.writeString(root.resolve("app.js.br"), "BROTLI");
        Files.writeString(root.resolve("app.js.gz"), "GZIP");
        Files.writeString(root.resolve(".env"), "SECRET");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "<p>index</p>");
        Files.createSymbolicLink(root.resolve("leak.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("linkdir"), outside);
        Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("digits.txt"));
        server = TestServer.start(app -> {
            app.get("/assets/*", StaticFiles.directory(root)
                    .cacheControl("**.js", "public, max-age=31536000, immutable")
                    .build());
            app.get("/site/*", StaticFiles.directory(root).index("index.html").build());
            app.get("/cp/*", StaticFiles.classpath("static-test").index("index.html").build());
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawHttp.Response raw(String target, String... headers) {
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: test\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        try (RawHttp http = RawHttp.connect(server.port())) {
            return http.send(request.append("Connection: close\r\n\r\n").toString()).read();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/assets/../outside/secret.txt", "/assets/%2e%2e/outside/secret.txt",
        "/assets/%2E%2E%2Foutside%2Fsecret.txt", "/assets/..%2Foutside%2Fsecret.txt", "/assets/..%5Coutside%5Csecret.txt",
        "/assets/sub/..%2F..%2F..%2Foutside/secret.txt", "/assets/%252e%252e/outside/secret.txt", "/assets/leak.txt",
        "/assets/linkdir/secret.txt", "/assets/.env", "/assets/%2eenv", "/assets/digits.txt%00.js", "/assets//etc/passwd",
        "/assets/./digits.txt", "/cp/..%2F..%2Fdev/spindle/test/middleware/StaticFilesTest.class"})
    void traversalAndPrivateNamesAreRefused(String target) {
        RawHttp.Response response = raw(target);

        assertThat(response.status()).isIn(400, 404);
        assertThat(response.body()).doesNotContain("SECRET");
    }

    @Test
    void backslashesInTheRawTargetAreRefused() {
        assertThat(raw("/assets/..\\outside\\secret.txt").status()).isIn(400, 404);
    }

    @Test
    void aSymlinkThatStaysInsideTheRootIsServed() {
        assertThat(server.client().get("/assets/alias.txt")).hasStatus(200).hasBody("0123456789");
    }

    @Test
    void servesAFileWithValidatorsTypeAndCacheControl() {
        TestResponse response = server.client().get("/assets/digits.txt");

        assertThat(response).hasStatus(200).hasBody("0123456789");
        assertThat(response.header("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(response.header("ETag")).hasValueSatisfying(tag -> assertThat(tag).matches("\"[0-9a-f]+-[0-9a-f]+\""));
        assertThat(response.header("Last-Modified")).hasValueSatisfying(date -> assertThat(date).endsWith(" GMT"));
        assertThat(response.header("Cache-Control")).contains("no-cache");
        assertThat(response.header("Accept-Ranges")).contains("bytes");
        assertThat(server.client().get("/assets/app.js").header("Cache-Control"))
                .contains("public, max-age=31536000, immutable");
    }

    @Test
    void answers304WhenTheTagOrDateStillMatches() {
        TestResponse first = server.client().get("/assets/digits.txt");
        String etag = first.header("ETag").orElseThrow();

        TestResponse byTag = server.client().get("/assets/digits.txt", "If-None-Match", "\"other\", " + etag);
        TestResponse byDate = server.client().get("/assets/digits.txt", "If-Modified-Since",
                first.header("Last-Modified").orElseThrow());
        TestResponse changed = server.client().get("/assets/digits.txt", "If-None-Match", "\"other\"");

        assertThat(byTag).hasStatus(304);
        assertThat(byTag.body()).isEmpty();
        assertThat(byTag.header("ETag")).contains(etag);
        assertThat(byDate).hasStatus(304);
        assertThat(changed).hasStatus(200);
    }

    @Test
    void rangeEdgeCases() {
        assertRange("bytes=0-3", 206, "0123", "bytes 0-3/10");
        assertRange("bytes=-3", 206, "789", "bytes 7-9/10");
        assertRange("bytes=7-", 206, "789", "bytes 7-9/10");
        assertRange("bytes=5-100", 206, "56789", "bytes 5-9/10");
        assertRange("bytes=0-2,1-4", 206, "01234", "bytes 0-4/10");
        assertRange("bytes=0-1,2-3", 206, "0123", "bytes 0-3/10");
        assertRange("bytes=0-1,5-6", 200, "0123456789", null);
        assertRange("bytes=abc", 200, "0123456789", null);
        assertRange("bytes=4-2", 200, "0123456789", null);
        assertRange("items=0-1", 200, "0123456789", null);
        TestResponse unsatisfiable = server.client().get("/assets/digits.txt", "Range", "bytes=10-20");
        assertThat(unsatisfiable).hasStatus(416);
        assertThat(unsatisfiable.header("Content-Range")).contains("bytes */10");
        assertThat(server.client().get("/assets/digits.txt", "Range", "bytes=-0")).hasStatus(416);
    }

    private static void assertRange(String range, int status, String body, String contentRange) {
        TestResponse response = server.client().get("/assets/digits.txt", "Range", range);
        assertThat(response).hasStatus(status).hasBody(body);
        assertThat(response.header("Content-Range")).isEqualTo(java.util.Optional.ofNullable(contentRange));
        assertThat(response.header("Content-Length")).contains(Integer.toString(body.length()));
    }

    @Test
    void ifRangeWithAStaleTagGetsTheWholeFile() {
        String etag = server.client().get("/assets/digits.txt").header("ETag").orElseThrow();

        assertThat(server.client().get("/assets/digits.txt", "Range", "bytes=0-1", "If-Range", etag))
                .hasStatus(206).hasBody("01");
        assertThat(server.client().get("/assets/digits.txt", "Range", "bytes=0-1", "If-Range", "\"stale\""))
                .hasStatus(200).hasBody("0123456789");
    }

    @Test
    void headSendsTheLengthWithoutTheBody() {
        RawHttp.Response response;
        try (RawHttp http = RawHttp.connect(server.port())) {
            response = http.send("HEAD /assets/digits.txt HTTP/1.1\r\nHost: t\r\n\r\n").readHead();
        }
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo("10");
    }

    @Test
    void sendsThePrecompressedSiblingTheClientPrefers() {
        TestResponse brotli = server.client().get("/assets/app.js", "Accept-Encoding", "gzip, br");
        TestResponse gzip = server.client().get("/assets/app.js", "Accept-Encoding", "br;q=0, gzip");
        TestResponse identity = server.client().get("/assets/app.js", "Accept-Encoding", "identity");

        assertThat(brotli.bodyBytes()).isEqualTo("BROTLI".getBytes(StandardCharsets.UTF_8));
        assertThat(brotli.header("Content-Encoding")).contains("br");
        assertThat(brotli.header("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(brotli.headers("Vary")).contains("Accept-Encoding");
        assertThat(gzip.header("Content-Encoding")).contains("gzip");
        assertThat(identity.body()).isEqualTo("console.log('identity')");
        assertThat(identity.header("Content-Encoding")).isEmpty();
        assertThat(brotli.header("ETag")).isNotEqualTo(identity.header("ETag")).isNotEqualTo(gzip.header("ETag"));
    }

    @Test
    void directoriesAreNotListedAndServeAnIndexOnlyWhenConfigured() {
        assertThat(server.client().get("/assets/sub/")).hasStatus(404);
        assertThat(server.client().get("/assets/sub")).hasStatus(404);
        assertThat(server.client().get("/assets/")).hasStatus(404);
        assertThat(server.client().get("/site/sub/")).hasStatus(200).hasBody("<p>index</p>");
        assertThat(server.client().get("/site/sub/").header("Content-Type")).contains("text/html; charset=utf-8");
    }

    @Test
    void missingFilesAre404Problems() {
        assertThat(server.client().get("/assets/nope.txt")).isProblem(404);
    }

    @Test
    void servesClassPathResourcesFromADirectory() {
        assertThat(server.client().get("/cp/hello.txt")).hasStatus(200).hasBody("from the class path\n");
        assertThat(server.client().get("/cp/docs/")).hasStatus(200).hasBody("<h1>docs</h1>\n");
        assertThat(server.client().get("/cp/missing.txt")).hasStatus(404);
    }
}
