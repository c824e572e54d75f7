/**
 * The safety nets every Spindle module's tests run under, registered by JUnit extension
 * auto-detection wherever this jar is on the test class path: {@link dev.spindle.testsupport.BlockHoundExtension}
 * fails a test class that made a blocking call on an event loop, {@link dev.spindle.testsupport.LeakDetectionExtension}
 * one that leaked a Netty buffer. {@link dev.spindle.testsupport.SafetyNetContract} proves, in each module, that
 * both nets are really there.
 */
package dev.spindle.testsupport;
