package dev.spindle.state;

class MemorySessionStoreTest extends SessionStoreContract {

    private final SessionStore store = SessionStore.inMemory(1000);

    @Override
    protected SessionStore store() {
        return store;
    }
}
