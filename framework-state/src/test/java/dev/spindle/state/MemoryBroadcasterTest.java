package dev.spindle.state;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

class MemoryBroadcasterTest extends BroadcasterContract {

    @Override
    protected List<Broadcaster> pair(Supplier<Executor> executors) {
        Broadcaster broadcaster = Broadcaster.inMemory(executors);
        return List.of(broadcaster, broadcaster);
    }
}
