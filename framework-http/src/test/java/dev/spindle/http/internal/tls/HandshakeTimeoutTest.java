package dev.spindle.http.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.spindle.core.Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A client that connects and never finishes its handshake is closed at the handshake timeout and counted. */
class HandshakeTimeoutTest {

    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static ServerTls tls;

    @BeforeAll
    static void create() {
        tls = ServerTls.create(Config.builder().set("server.tls.self-signed", "true")
                .set("server.tls.handshake-timeout", "5s").build(), registry).orElseThrow();
    }

    @AfterAll
    static void close() {
        tls.close();
    }

    private static double timeouts() {
        return registry.get("spindle.tls.handshake.failures").tag("reason", "timeout").counter().count();
    }

    @Test
    void closesAndCountsAConnectionWhoseHandshakeOutlastsTheTimeout() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        double before = timeouts();
        tls.install(channel, http1 -> { });

        channel.advanceTimeBy(4, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(timeouts()).isEqualTo(before + 1);
        releaseOutbound(channel);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void putsTheTlsHandlersFirst() {
        EmbeddedChannel channel = new EmbeddedChannel();
        tls.install(channel, http1 -> http1.pipeline().addLast("http", new ChannelDuplexHandler()));

        assertThat(channel.pipeline().names()).startsWith("tls", "tls-handshake", "tls-files", "http");
        assertThat(channel.pipeline().get("tls")).isInstanceOf(SslHandler.class);
        assertThat(((SslHandler) channel.pipeline().get("tls")).getHandshakeTimeoutMillis()).isEqualTo(5000);
        channel.close();
        releaseOutbound(channel);
        assertFalse(channel.finishAndReleaseAll());
    }

    // The engine's alerts and close_notify, which a real client would read.
    private static void releaseOutbound(EmbeddedChannel channel) {
        Object written;
        while ((written = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(written);
        }
    }
}
