package dev.spindle.test.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.http.Response;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Slow and greedy clients: the body-read and write timeouts, and the bound on open connections. */
class SlowClientTest {

    private static final int BIG = 32 << 20;

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/hi", ctx -> Response.text("hi").completed());
        app.post("/echo", ctx -> Response.text(ctx.bodyText()).completed());
        app.get("/bytes", ctx -> Response.bytes(new byte[BIG], "application/octet-stream").completed());
    })
            .set("http.body-read-timeout", "300ms")
            .set("http.write-timeout", "300ms")
            .set("http.max-connections", "3");

    @Test
    void aBodyThatStopsArrivingIsA408AndCloses() {
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
                    .read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void aResponseTheClientDoesNotReadIsCutAfterTheWriteTimeout() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /bytes HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> true);

            long received = 0;
            byte[] buffer = new byte[64 << 10];
            InputStream in = socket.getInputStream();
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    received += n;
                }
            } catch (IOException reset) {
                // a reset is a close too
            }
            assertThat(received).as("bytes before the server gave up").isLessThan(BIG);
        }
    }

    @Test
    void connectionsBeyondTheBoundAreClosedAtOnce() {
        try (RawHttp first = server.raw(); RawHttp second = server.raw(); RawHttp third = server.raw()) {
            for (RawHttp open : new RawHttp[] {first, second, third}) {
                assertThat(open.send("GET /hi HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            }
            try (RawHttp fourth = server.raw()) {
                assertThat(fourth.isClosedByServer()).isTrue();
            }
            assertThat(first.send("GET /hi HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
        await().untilAsserted(() -> assertThat(server.client().get("/hi").status()).isEqualTo(200));
    }
}
