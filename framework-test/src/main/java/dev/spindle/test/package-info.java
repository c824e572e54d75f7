/**
 * Spindle's test kit: {@link dev.spindle.test.SpindleExtension} and {@link dev.spindle.test.TestServer}
 * start an app on a free port, {@link dev.spindle.test.TestClient} and {@link dev.spindle.test.RawHttp}
 * talk to it over real sockets, {@link dev.spindle.test.SpindleAssertions} checks JSON and problem
 * responses, and {@link dev.spindle.test.LeakDetectionExtension} fails tests that leak Netty buffers.
 */
package dev.spindle.test;
