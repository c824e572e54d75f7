package dev.spindle.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.spindle.test.internal.LeakRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** The leak safeguard itself: if it stopped catching leaks, every other test would pass silently. */
class LeakDetectionTest {

    /** Run only through the engine test kit below (surefire skips nested classes); it leaks on purpose. */
    static class LeakingTestClass {

        static final String MARKER = "deliberate-leak-in-fixture";

        @Test
        void leaksABuffer() {
            leak(MARKER);
        }
    }

    private static void leak(String marker) {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(64);
        buffer.writeLong(42);
        buffer.touch(marker);
        // Dropped without release(): the detector reports it once the buffer is collected.
    }

    @Test
    void testJvmRunsWithParanoidLeakDetection() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void recorderCatchesADeliberatelyLeakedBuffer() {
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
    void extensionFailsATestClassThatLeaks() {
        List<Event> failures = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(LeakingTestClass.class))
                .execute()
                .containerEvents()
                .failed()
                .list();

        assertThat(failures).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo(EventType.FINISHED);
            assertThat(event.getTestDescriptor().getDisplayName()).endsWith("LeakingTestClass");
            Throwable cause = event.getPayload(TestExecutionResult.class).orElseThrow()
                    .getThrowable().orElseThrow();
            assertThat(cause).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Netty buffer leak(s) detected by the end of")
                    .hasMessageContaining(LeakingTestClass.MARKER);
        });
    }
}
