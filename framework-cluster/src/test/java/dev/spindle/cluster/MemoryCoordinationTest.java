package dev.spindle.cluster;

/** The in-memory twin keeps the registry's and the election's promises. */
class MemoryCoordinationTest extends CoordinationContract {

    private final CoordinationStore store = CoordinationStore.inMemory();

    @Override
    CoordinationStore store() {
        return store;
    }
}
