package dev.spindle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** One gate, several reasons: no reason can reopen reading that another one holds closed. */
class ReadGateTest {

    // Regression: the dispatcher and a streamed upload both flipped autoRead; one's resume undid the other's pause.
    @Test
    void readingResumesOnlyWhenTheLastReasonIsLifted() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ReadGate gate = new ReadGate(channel);

        gate.close(ReadGate.UPLOAD);
        gate.close(ReadGate.BACKLOG);
        gate.open(ReadGate.UPLOAD);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(gate.isClosed(ReadGate.BACKLOG)).isTrue();

        gate.open(ReadGate.BACKLOG);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void liftingAReasonThatWasNotHeldChangesNothing() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ReadGate gate = new ReadGate(channel);

        gate.close(ReadGate.UNWRITABLE);
        gate.open(ReadGate.DRAINING);

        assertThat(channel.config().isAutoRead()).isFalse();
        gate.openAll();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }
}
