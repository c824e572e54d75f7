/**
 * Spindle's test kit: {@link dev.spindle.test.SpindleExtension} and {@link dev.spindle.test.TestServer}
 * start an app on a free port, {@link dev.spindle.test.TestClient} and {@link dev.spindle.test.RawHttp}
 * talk to it over real sockets, {@link dev.spindle.test.SpindleAssertions} checks JSON and problem
 * responses. The kit brings framework-test-support, whose extensions fail a test class that leaks a
 * Netty buffer or blocks an event loop.
 */
package dev.spindle.test;
