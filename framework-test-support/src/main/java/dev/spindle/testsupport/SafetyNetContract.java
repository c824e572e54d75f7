package dev.spindle.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.testsupport.internal.LeakRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Proves that the safety nets are really spread under a module's tests: extend it once per
 * module ({@code class SafetyNetTest extends SafetyNetContract {}}) so that a build change that
 * drops the extensions, the auto-detection flag or the PARANOID level fails that module's build
 * instead of letting every other test pass silently.
 */
public abstract class SafetyNetContract {

    /** For subclasses. */
    protected SafetyNetContract() {}

    @Test
    void testJvmTracksEveryBufferAtParanoidLevel() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void leakDetectionExtensionIsRegisteredByAutoDetection() {
        assertThat(ResourceLeakDetectorFactory.instance())
                .as("LeakDetectionExtension installs the recording factory when JUnit loads it")
                .isInstanceOf(LeakRecorder.class);
    }

    @Test
    void aLeakedBufferIsRecorded() {
        String marker = "deliberate-leak-" + UUID.randomUUID();
        leak(marker);

        List<String> reports = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            ByteBufAllocator.DEFAULT.buffer(16).release();
            reports.addAll(LeakRecorder.drain());
            return reports.stream().anyMatch(report -> report.contains(marker));
        });

        assertThat(reports).as("leaks other than the deliberate one").allMatch(report -> report.contains(marker));
        assertThat(reports).singleElement().asString().startsWith("LEAK: ByteBuf").contains("Hint: " + marker);
    }

    @Test
    void aBlockingCallOnAnEventLoopThreadFails() throws Exception {
        DefaultEventExecutor loop = new DefaultEventExecutor();
        try {
            Future<?> sleeping = loop.submit(() -> {
                Thread.sleep(1);
                return null;
            }).await();

            assertThat(sleeping.cause()).as("BlockHound is installed and Netty's threads are non-blocking")
                    .isNotNull().hasMessageContaining("Blocking call!");
            assertThat(BlockHoundExtension.drainViolations()).singleElement().asString()
                    .contains("Thread.sleep").contains("SafetyNetContract");
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void leak(String marker) {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(64);
        buffer.writeLong(42);
        buffer.touch(marker);
        // Dropped without release(): the detector reports it once the buffer is collected.
    }
}
