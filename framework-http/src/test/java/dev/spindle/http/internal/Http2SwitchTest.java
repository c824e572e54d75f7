package dev.spindle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Config;
import dev.spindle.core.WorkerPool;
import dev.spindle.http.Response;
import dev.spindle.http.internal.h2.Http2Connections;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A cleartext connection's switch from the HTTP/1.1 handlers to HTTP/2, on an {@link EmbeddedChannel}. */
class Http2SwitchTest {

    private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerPool offload = WorkerPool.create("offload", 1, 4, registry);
    private final WorkerPool blocking = WorkerPool.create("blocking", 1, 4, registry);
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        RouteCollector routes = new RouteCollector();
        routes.root().get("/hello/{name}", ctx -> Response.text("Hello " + ctx.pathParam("name")).completed());
        // The header-read timeout far below the idle timeout: a guard left ticking would close the connection.
        Config config = Config.builder().set("http.header-read-timeout", "100ms").set("http.idle-timeout", "1h").build();
        ServerContext server = ServerContext.assemble(config, routes, Map.of(), JsonMapper.builder().build(), registry,
                offload, blocking);
        Http2Connections http2 = Http2Connections.create(config, server, registry).orElseThrow();
        // Accepted by a server socket, as Netty's multiplexer checks (it is never registered or bound).
        channel = new EmbeddedChannel(new NioServerSocketChannel(), DefaultChannelId.newInstance(), true, false,
                new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel connection) {
                        http2.installCleartext(connection, http1 -> HttpServer.install(http1, server));
                    }
                });
        channel.freezeTime();
    }

    @AfterEach
    void close() {
        // An HTTP/2 connection writes GOAWAY as it closes: released here, not asserted.
        channel.finishAndReleaseAll();
        offload.close();
        blocking.close();
    }

    private void send(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private String written() {
        return Outbound.text(channel);
    }

    @Test
    void anHttp11RequestKeepsTheHttp11HandlersAndTheDetectorsLeave() {
        send("GET /hello/ada HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(written()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("Hello ada");
        assertThat(channel.pipeline().names()).contains("decoder", "encoder", "connection")
                .doesNotContain("h2c-preface", "h2c-upgrade", "h2-codec");
    }

    // Regression guard: the HTTP/1.1 guard's timer outlived its removal and closed the HTTP/2 connection.
    @Test
    void thePrefaceSwapsTheHttp11HandlersForHttp2AndStopsTheirTimers() {
        send(PREFACE.getBytes(StandardCharsets.US_ASCII));
        send(EMPTY_SETTINGS);

        assertThat(channel.pipeline().names()).contains("h2-codec", "h2-streams", "h2-watch")
                .doesNotContain("decoder", "encoder", "connection", "h2c-preface", "h2c-upgrade");
        assertThat(written()).as("the server's SETTINGS frame").isNotEmpty();
        channel.advanceTimeBy(10, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anHttp2ConnectionWithoutOpenStreamsClosesAfterTheIdleTimeout() {
        send(PREFACE.getBytes(StandardCharsets.US_ASCII));
        send(EMPTY_SETTINGS);
        written();

        channel.advanceTimeBy(59, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(2, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anUpgradeRequestIsAnswered101AndTheConnectionSwitches() {
        send(("GET /hello/ada HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        String written = written();
        assertThat(written).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
        assertThat(channel.pipeline().get(Http2FrameCodec.class)).isNotNull();
        assertThat(channel.pipeline().names()).doesNotContain("decoder", "encoder", "connection", "h2c-upgrade");
        send(PREFACE.getBytes(StandardCharsets.US_ASCII));
        send(EMPTY_SETTINGS);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat(written + written()).as("stream 1's answer, in HTTP/2 frames").contains("Hello ada");
        channel.advanceTimeBy(10, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void somethingElseThanTheUpgradeOrThePrefaceStaysHttp11() {
        send(("GET /hello/ada HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));

        assertThat(written()).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(channel.pipeline().names()).contains("decoder", "encoder", "connection").doesNotContain("h2-codec");
    }
}
