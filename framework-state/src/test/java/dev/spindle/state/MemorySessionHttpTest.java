package dev.spindle.state;

import java.util.Map;

class MemorySessionHttpTest extends SessionHttpContract {

    @Override
    protected Map<String, String> storeSettings() {
        return Map.of();
    }
}
