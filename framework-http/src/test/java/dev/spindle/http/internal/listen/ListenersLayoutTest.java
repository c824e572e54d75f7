package dev.spindle.http.internal.listen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Transport;
import org.junit.jupiter.api.Test;

/** Per-loop sockets only where the kernel spreads connections over them and there is more than one loop. */
class ListenersLayoutTest {

    @Test
    void nativeTransportsWithSeveralLoopsGetOneSocketPerLoop() {
        assertThat(Listeners.layout(Transport.EPOLL, 4, true)).isEqualTo(Listeners.Layout.PER_LOOP);
        assertThat(Listeners.layout(Transport.IO_URING, 2, true)).isEqualTo(Listeners.Layout.PER_LOOP);
    }

    @Test
    void nioOneLoopOrTheSettingOffGetOneAcceptor() {
        assertThat(Listeners.layout(Transport.NIO, 4, true)).isEqualTo(Listeners.Layout.SINGLE);
        assertThat(Listeners.layout(Transport.EPOLL, 1, true)).isEqualTo(Listeners.Layout.SINGLE);
        assertThat(Listeners.layout(Transport.EPOLL, 4, false)).isEqualTo(Listeners.Layout.SINGLE);
    }
}
