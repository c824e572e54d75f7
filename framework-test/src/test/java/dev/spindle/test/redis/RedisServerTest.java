package dev.spindle.test.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Config;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerTest {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.ownServer(true);

    /** Sends one inline command and returns the reply's lines (enough for simple replies and bulk strings). */
    private static String command(int port, String command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            return first.startsWith("$") && !first.equals("$-1") ? in.readLine() : first;
        }
    }

    @Test
    void dataWrittenBeforeAKillIsThereAfterTheRestart() throws IOException {
        RedisServer server = redis.server().orElseThrow();
        assertThat(command(server.port(), "SET survivor yes")).isEqualTo("+OK");
        server.kill();
        assertThat(server.isRunning()).isFalse();
        assertThat(RedisServer.answersPing(server.port())).isFalse();
        server.restart();
        assertThat(server.isRunning()).isTrue();
        assertThat(command(server.port(), "GET survivor")).isEqualTo("yes");
        assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + server.port());
    }

    @Test
    void requireRedisIsADeclaredSettingSoConfigLoadAcceptsIt() {
        assertThat(Config.builder().set("requireRedis", "true").build().get(TestRedisSettings.REQUIRE_REDIS)).isTrue();
    }
}
