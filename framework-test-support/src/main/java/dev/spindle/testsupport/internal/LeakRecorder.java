package dev.spindle.testsupport.internal;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A Netty leak-detector factory that keeps every leak report so a test can fail on it, instead
 * of leaving it in a log nobody reads. Installed before the first buffer class loads.
 */
public final class LeakRecorder extends ResourceLeakDetectorFactory {

    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static volatile boolean installed;

    private LeakRecorder() {}

    /** Installs the recorder once per JVM. */
    public static synchronized void install() {
        if (!installed) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new LeakRecorder());
            installed = true;
        }
    }

    /** Takes the reports recorded so far. */
    public static List<String> drain() {
        List<String> leaks = new ArrayList<>();
        String leak;
        while ((leak = LEAKS.poll()) != null) {
            leaks.add(leak);
        }
        return leaks;
    }

    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                              long maxActive) {
        return new ResourceLeakDetector<>(resource, samplingInterval) {
            @Override
            protected boolean needReport() {
                return true;
            }

            @Override
            protected void reportTracedLeak(String resourceType, String records) {
                LEAKS.add("LEAK: " + resourceType + " was garbage-collected without release()." + records);
                super.reportTracedLeak(resourceType, records);
            }

            @Override
            protected void reportUntracedLeak(String resourceType) {
                LEAKS.add("LEAK: " + resourceType + " was garbage-collected without release() (no records)");
                super.reportUntracedLeak(resourceType);
            }
        };
    }
}
