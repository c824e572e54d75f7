package dev.spindle.state.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load-lease tokens: unique, not secret (a lease only says who may load), so a random instance
 * part drawn once and a counter; no entropy drawn per miss.
 */
final class LeaseTokens {

    private static final String INSTANCE = Long.toHexString(ThreadLocalRandom.current().nextLong())
            + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final AtomicLong NEXT = new AtomicLong();

    private LeaseTokens() {}

    static String next() {
        return INSTANCE + "-" + Long.toHexString(NEXT.incrementAndGet());
    }
}
