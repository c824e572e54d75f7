package dev.spindle.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;

/**
 * Installs BlockHound for the whole test JVM, so any blocking call made on an event loop
 * (Netty's integration marks the loops non-blocking) fails where it happens, and fails the test
 * class afterwards even if the error was swallowed on the way. Registered automatically
 * (JUnit extension auto-detection) wherever framework-test-support is on the test class path.
 *
 * <p>Console logging is allowed to block on a loop here: tests log synchronously to keep output
 * ordered; production configurations should use an asynchronous appender. So are two libraries'
 * brief internal locks (see the builder below).
 */
public final class BlockHoundExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ConcurrentLinkedQueue<String> VIOLATIONS = new ConcurrentLinkedQueue<>();

    static {
        BlockHound.install(builder -> builder
                .allowBlockingCallsInside("ch.qos.logback.core.UnsynchronizedAppenderBase", "doAppend")
                .allowBlockingCallsInside("ch.qos.logback.core.AppenderBase", "doAppend")
                // Libraries' own short critical sections, by their design: Netty's adaptive allocator
                // locks a magazine group while it grows or frees a magazine, and Lettuce's endpoint
                // takes its writers' lock around each command it writes. Either can park briefly
                // under contention; neither waits on I/O.
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free")
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters")
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters")
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive")
                .blockingMethodCallback(method -> {
                    BlockingOperationError error = new BlockingOperationError(method);
                    VIOLATIONS.add(Thread.currentThread().getName() + ": " + method + stack(error));
                    throw error;
                }));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        VIOLATIONS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> found = new ArrayList<>();
        String violation;
        while ((violation = VIOLATIONS.poll()) != null) {
            found.add(violation);
        }
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " blocking call(s) on an event loop in " + context.getDisplayName()
                    + ":\n" + String.join("\n\n", found));
        }
    }

    /** Takes the violations recorded so far (for the test that proves detection works). */
    public static List<String> drainViolations() {
        List<String> found = new ArrayList<>();
        String violation;
        while ((violation = VIOLATIONS.poll()) != null) {
            found.add(violation);
        }
        return found;
    }

    private static String stack(Throwable error) {
        StringBuilder trace = new StringBuilder();
        for (StackTraceElement frame : error.getStackTrace()) {
            trace.append("\n\tat ").append(frame);
        }
        return trace.toString();
    }
}
