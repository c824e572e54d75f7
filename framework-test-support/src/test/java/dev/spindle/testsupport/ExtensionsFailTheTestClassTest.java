package dev.spindle.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** The extensions themselves: if they stopped failing a guilty class, every other test would pass silently. */
class ExtensionsFailTheTestClassTest {

    /** Run only through the engine test kit below (surefire skips nested classes); it leaks on purpose. */
    static class LeakingTestClass {

        static final String MARKER = "deliberate-leak-in-fixture";

        @Test
        void leaksABuffer() {
            ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(64);
            buffer.writeLong(42);
            buffer.touch(MARKER);
        }
    }

    /** Blocks on an event loop and swallows the error, as framework code that catches Throwable would. */
    static class BlockingTestClass {

        @Test
        void blocksOnALoopAndSwallowsTheError() {
            DefaultEventExecutor loop = new DefaultEventExecutor();
            try {
                loop.submit(() -> {
                    try {
                        Thread.sleep(1);
                    } catch (Throwable swallowed) {
                        // The test passes; only the extension can still fail the class.
                    }
                }).syncUninterruptibly();
            } finally {
                loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    private static Throwable classFailure(Class<?> testClass) {
        List<Event> failures = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(testClass))
                .execute()
                .containerEvents()
                .failed()
                .list();
        assertThat(failures).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo(EventType.FINISHED);
            assertThat(event.getTestDescriptor().getDisplayName()).endsWith(testClass.getSimpleName());
        });
        return failures.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    @Test
    void leakDetectionFailsATestClassThatLeaks() {
        assertThat(classFailure(LeakingTestClass.class)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Netty buffer leak(s) detected by the end of")
                .hasMessageContaining(LeakingTestClass.MARKER);
    }

    @Test
    void blockHoundFailsATestClassThatBlockedALoopEvenWhenTheErrorWasSwallowed() {
        assertThat(classFailure(BlockingTestClass.class)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 blocking call(s) on an event loop in").hasMessageContaining("BlockingTestClass")
                .hasMessageContaining("Thread.sleep");
    }
}
