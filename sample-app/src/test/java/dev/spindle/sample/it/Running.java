package dev.spindle.sample.it;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The processes a test started (apps, nginx, Redis, Prometheus), stopped after each test in the
 * reverse order, whatever the test's outcome. Register on an instance field:
 * {@code @RegisterExtension final Running running = new Running();}.
 */
public final class Running implements AfterEachCallback {

    private final List<AutoCloseable> started = new ArrayList<>();

    /** Remembers {@code resource} for stopping, and returns it. */
    public <T extends AutoCloseable> T started(T resource) {
        started.add(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        started.clear();
    }
}
