package dev.spindle.test.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Cookie;
import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A response is checked when it is built, and answering an exchange and accounting for it (the
 * in-flight count, the request's metrics) are one step: no answer can leave the count behind.
 */
class AnsweredAndAccountedTest {

    private static Path file;

    @BeforeAll
    static void writeFile() throws IOException {
        file = Files.createTempFile("spindle-answered", ".txt");
        Files.writeString(file, "contents");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/file-with-bad-cookie", ctx -> Response.file(file, "text/plain")
                .cookie(Cookie.of("session", "two words")).completed());
        app.get("/stream-with-bad-cookie", ctx -> Response.stream(Flow.Subscriber::onComplete, "text/plain")
                .cookie(Cookie.of("session", "semi;colon")).completed());
        app.get("/unserialisable", ctx -> Response.json(new Object() {
            public String getBoom() {
                throw new IllegalStateException("cannot serialise");
            }
        }).completed());
    });

    // Regression: Cookie validated nothing; Netty's strict encoder threw while the head was written, after the
    // exchange counted as answered: the in-flight count never went down and a file response hung with its fd open.
    @Test
    void cookieValuesAndAttributesAreCheckedWhenBuilt() {
        assertThatThrownBy(() -> Cookie.of("session", "two words")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value");
        assertThatThrownBy(() -> Cookie.of("bad name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cookie.of("a", "b").path("/x;y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cookie.of("a", "b").domain("ex ample.com")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Cookie.of("a", "\"quoted-ok\"").value()).isEqualTo("\"quoted-ok\"");
    }

    @Test
    void aFileOrStreamResponseWithAnInvalidCookieIsA500AndAccounted() {
        assertThat(server.client().get("/file-with-bad-cookie").status()).isEqualTo(500);
        assertThat(server.client().get("/stream-with-bad-cookie").status()).isEqualTo(500);

        awaitNothingInFlight();
    }

    @Test
    void aBodyThatCannotBeEncodedIsA500AndAccounted() {
        TestResponse response = server.client().get("/unserialisable");

        assertThat(response.status()).isEqualTo(500);
        awaitNothingInFlight();
    }

    /** Only the scrape itself is in flight. */
    private static void awaitNothingInFlight() {
        await().untilAsserted(() -> assertThat(server.client().get("/metrics").body())
                .contains("spindle_http_requests_active 1.0"));
    }
}
