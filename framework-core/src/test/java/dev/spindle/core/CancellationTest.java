package dev.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancellationTest {

    // Regression: closed registrations stayed in the list, so a long request that made one call after
    // another held one node per call until it ended.
    @Test
    void closedRegistrationsDoNotPileUpOnALongRequest() {
        Cancellation cancellation = Cancellation.create();
        AtomicInteger ran = new AtomicInteger();
        cancellation.onCancel(ran::incrementAndGet); // the request's own action, kept to the end
        for (int call = 0; call < 10_000; call++) {
            cancellation.onCancel(() -> ran.addAndGet(1000)).close(); // a call that completed on its own
        }
        assertThat(cancellation.held()).isLessThanOrEqualTo(2);

        assertThat(cancellation.cancel()).isTrue();
        assertThat(ran).hasValue(1);
    }

    @Test
    void runsOpenActionsOnceNewestFirstAndLateOnesAtOnce() {
        Cancellation cancellation = Cancellation.create();
        List<String> order = new ArrayList<>();
        cancellation.onCancel(() -> order.add("first"));
        Cancellation.Registration closed = cancellation.onCancel(() -> order.add("closed"));
        cancellation.onCancel(() -> order.add("second"));
        closed.close();

        assertThat(cancellation.cancel()).isTrue();
        assertThat(cancellation.cancel()).isFalse();
        assertThat(order).containsExactly("second", "first");
        assertThat(cancellation.isCancelled()).isTrue();

        cancellation.onCancel(() -> order.add("late"));
        assertThat(order).containsExactly("second", "first", "late");
    }

    @Test
    void neverIsNeverCancelled() {
        AtomicInteger ran = new AtomicInteger();
        Cancellation.never().onCancel(ran::incrementAndGet);
        assertThat(Cancellation.never().cancel()).isFalse();
        assertThat(Cancellation.never().isCancelled()).isFalse();
        assertThat(ran).hasValue(0);
    }
}
