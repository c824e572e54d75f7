package dev.spindle.http.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARN for requests answered 503 at their deadline, at most one a second per server: under
 * overload every request times out, and one line each would bury the logs (and cost the loops
 * time they do not have). Each WARN says how many were left out since the last; the metric
 * {@code spindle.http.deadline.exceeded} counts them all.
 */
final class DeadlineLog {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier ticker;
    private final AtomicLong nextNanos;
    private final AtomicLong skipped = new AtomicLong();

    DeadlineLog() {
        this(System::nanoTime);
    }

    /** With {@code ticker} for the time ({@link System#nanoTime()} in production). */
    DeadlineLog(LongSupplier ticker) {
        this.ticker = ticker;
        this.nextNanos = new AtomicLong(ticker.getAsLong());
    }

    void timedOut(String what, long millis) {
        long now = ticker.getAsLong();
        long next = nextNanos.get();
        if (now - next >= 0 && nextNanos.compareAndSet(next, now + INTERVAL_NANOS)) {
            long left = skipped.getAndSet(0);
            if (left == 0) {
                log.warn("{} did not complete within its {} ms deadline; answered 503 and cancelled it", what, millis);
            } else {
                log.warn("{} did not complete within its {} ms deadline; answered 503 and cancelled it "
                        + "({} more timed out since the last report)", what, millis, left);
            }
        } else {
            skipped.incrementAndGet();
            log.debug("{} did not complete within its {} ms deadline; answered 503 and cancelled it", what, millis);
        }
    }
}
