package dev.spindle.state;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

class MemoryBroadcasterTest extends BroadcasterContract {

    @Override
    protected List<Broadcaster> pair(BroadcastOptions options, Supplier<Executor> executors) {
        Broadcaster broadcaster = Broadcaster.inMemory(options, executors, registry);
        return List.of(broadcaster, broadcaster);
    }
}
