package dev.spindle.sample.users;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * New user ids: RFC 9562 version-7 UUIDs (48 bits of Unix milliseconds, then a 12-bit counter,
 * then random bits), so their text sorts in creation order and they stay unique across replicas.
 */
final class UserIds {

    private static final AtomicInteger counter = new AtomicInteger();

    private UserIds() {}

    static String next() {
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (counter.getAndIncrement() & 0xFFFL);
        long low = (ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
