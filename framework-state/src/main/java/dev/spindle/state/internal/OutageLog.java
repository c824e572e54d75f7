package dev.spindle.state.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs requests answered 503 for an outage at WARN at most once per interval, with how many were
 * answered since, so an outage under load does not flood the log (or the loop with log writes).
 */
public final class OutageLog {

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final AtomicLong lastWarned = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    private final AtomicLong suppressed = new AtomicLong();

    public OutageLog(Logger log) {
        this.log = log;
    }

    /** Records one request answered 503 because of {@code reason}. */
    public void answered(String request, String reason) {
        long now = System.nanoTime();
        long last = lastWarned.get();
        if (now - last >= INTERVAL_NANOS && lastWarned.compareAndSet(last, now)) {
            long others = suppressed.getAndSet(0);
            log.warn("{} answered 503: {}{}", request, reason,
                    others == 0 ? "" : " (and " + others + " other request(s) in the last 10 s)");
        } else {
            suppressed.incrementAndGet();
            log.debug("{} answered 503: {}", request, reason);
        }
    }
}
