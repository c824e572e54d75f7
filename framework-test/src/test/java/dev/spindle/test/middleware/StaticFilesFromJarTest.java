package dev.spindle.test.middleware;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.StaticFiles;
import dev.spindle.test.TestResponse;
import dev.spindle.test.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class-path resources packaged in a jar, as they are in a deployed app. */
class StaticFilesFromJarTest {

    @TempDir
    static Path temp;
    static URLClassLoader loader;
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        Path jar = temp.resolve("assets.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, "web/", null);
            add(out, "web/index.html", "<h1>home</h1>");
            add(out, "web/style.css", "body { color: black }");
            add(out, "web/style.css.gz", "GZIPPED");
            add(out, "web/.secret", "SECRET");
        }
        loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
        server = TestServer.start(app -> app.get("/*", StaticFiles.classpath("web", loader).index("index.html").build()));
    }

    private static void add(JarOutputStream out, String name, String content) throws IOException {
        JarEntry entry = new JarEntry(name);
        entry.setTime(1_700_000_000_000L);
        out.putNextEntry(entry);
        if (content != null) {
            OutputStream body = out;
            body.write(content.getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        loader.close();
    }

    @Test
    void servesAJarEntryWithAWeakTagAndRevalidates() {
        TestResponse response = server.client().get("/style.css");

        assertThat(response).hasStatus(200).hasBody("body { color: black }");
        assertThat(response.header("Content-Type")).contains("text/css; charset=utf-8");
        assertThat(response.header("ETag")).hasValueSatisfying(tag -> assertThat(tag).startsWith("W/\""));
        assertThat(response.header("Last-Modified")).contains("Tue, 14 Nov 2023 22:13:20 GMT");
        assertThat(server.client().get("/style.css", "If-None-Match", response.header("ETag").orElseThrow()))
                .hasStatus(304);
    }

    @Test
    void rangesAreNotOfferedForJarEntries() {
        TestResponse response = server.client().get("/style.css", "Range", "bytes=0-3");

        assertThat(response).hasStatus(200).hasBody("body { color: black }");
        assertThat(response.header("Accept-Ranges")).contains("none");
    }

    @Test
    void sendsThePrecompressedSiblingFromTheJar() {
        TestResponse response = server.client().get("/style.css", "Accept-Encoding", "gzip");

        assertThat(response.bodyBytes()).isEqualTo("GZIPPED".getBytes(StandardCharsets.UTF_8));
        assertThat(response.header("Content-Encoding")).contains("gzip");
    }

    @Test
    void theRootServesItsIndexAndHiddenOrMissingEntriesAre404() {
        assertThat(server.client().get("/")).hasStatus(200).hasBody("<h1>home</h1>");
        assertThat(server.client().get("/.secret")).hasStatus(404);
        assertThat(server.client().get("/nope.css")).hasStatus(404);
    }
}
