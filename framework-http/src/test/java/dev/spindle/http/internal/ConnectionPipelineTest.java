package dev.spindle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.spindle.core.Config;
import dev.spindle.core.WorkerPool;
import dev.spindle.http.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The connection pipeline (guard, codec, dispatcher) on an {@link EmbeddedChannel}: bytes in, bytes out. */
class ConnectionPipelineTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerPool offload = WorkerPool.create("offload", 1, 4, registry);
    private final WorkerPool blocking = WorkerPool.create("blocking", 1, 4, registry);
    private final CompletableFuture<Response> gate = new CompletableFuture<>();
    private EmbeddedChannel channel;

    @AfterEach
    void closePools() {
        offload.close();
        blocking.close();
    }

    private EmbeddedChannel channel() {
        RouteCollector routes = new RouteCollector();
        routes.root().get("/hello/{name}", ctx -> Response.text("Hello " + ctx.pathParam("name")).completed());
        routes.root().get("/gate", ctx -> gate);
        routes.root().post("/echo", ctx -> Response.text(ctx.bodyText()).completed());
        Config config = Config.builder().set("http.max-body-size", "16B").build();
        ServerContext server = ServerContext.assemble(config, routes, Map.of(), JsonMapper.builder().build(), registry,
                offload, blocking);
        return new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                HttpServer.install(channel, server);
            }
        });
    }

    private void send(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    }

    private String written() {
        return Outbound.text(channel);
    }

    @Test
    void answersARequestAndKeepsTheConnectionOpen() {
        channel = channel();

        send("GET /hello/ada HTTP/1.1\r\nHost: x\r\n\r\n");

        String response = written();
        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("content-length: 9\r\n")
                .endsWith("\r\n\r\nHello ada");
        assertThat(channel.isOpen()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    // Regression: after an async response the next request's head left the backlog but its end stayed: never ran.
    @Test
    void answersPipelinedRequestsInOrderEvenWhenTheFirstCompletesLast() {
        channel = channel();

        send("GET /gate HTTP/1.1\r\nHost: x\r\n\r\nGET /hello/b HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written()).isEmpty();
        gate.complete(Response.text("first"));
        channel.runPendingTasks();

        String response = written();
        assertThat(response.indexOf("first")).isPositive().isLessThan(response.indexOf("Hello b"));
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void bodyOverTheLimitIsA413AndClosesTheConnection() {
        channel = channel();

        send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n");

        assertThat(written()).startsWith("HTTP/1.1 413 ").contains("connection: close\r\n");
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void bothContentLengthAndTransferEncodingIsA400AndClosesTheConnection() {
        channel = channel();

        send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n");

        assertThat(written()).startsWith("HTTP/1.1 400 ").contains("connection: close\r\n");
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void chunkedBodyIsReassembled() {
        channel = channel();

        send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        send("2\r\nde\r\n0\r\n\r\n");

        assertThat(written()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nabcde");
        assertFalse(channel.finishAndReleaseAll());
    }
}
