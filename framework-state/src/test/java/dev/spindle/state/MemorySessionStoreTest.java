package dev.spindle.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Deadline;
import java.time.Duration;

class MemorySessionStoreTest extends SessionStoreContract {

    private final ManualClock clock = new ManualClock();
    private final SessionStore store = SessionStore.inMemory(1000, clock);

    @Override
    protected SessionStore store() {
        return store;
    }

    @Override
    protected void assertLivesFor(String id, Duration ttl) {
        clock.advance(ttl.minusMillis(1));
        assertThat(store.load(id, Deadline.none()).toCompletableFuture().join()).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(store.load(id, Deadline.none()).toCompletableFuture().join()).isEmpty();
    }
}
