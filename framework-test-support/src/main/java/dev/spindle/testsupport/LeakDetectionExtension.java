package dev.spindle.testsupport;

import dev.spindle.testsupport.internal.LeakRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran. Registered automatically
 * (JUnit extension auto-detection) wherever framework-test-support is on the test class path; run the
 * tests with {@code -Dio.netty.leakDetection.level=paranoid} so every buffer is tracked.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

    static {
        LeakRecorder.install();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Reports still pending from an earlier class stay queued: the next afterAll fails on them.
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Leaks surface when a lost buffer has been collected and the detector next runs.
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 64; i++) {
                ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(16);
                pooled.release();
                ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                unpooled.release();
            }
        }
        List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) detected by the end of "
                    + context.getDisplayName() + " (a leak surfaces when its buffer is collected, so it may come from an"
                    + " earlier class; the records show where the buffer was used):\n" + String.join("\n\n", leaks));
        }
    }
}
