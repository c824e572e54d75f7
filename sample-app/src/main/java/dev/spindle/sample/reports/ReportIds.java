package dev.spindle.sample.reports;

import java.nio.ByteBuffer;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Report ids: random (version 4) UUIDs, so the address of one report tells nothing of another's.
 * {@link UUID#randomUUID()} would read the entropy device on the event loop that takes the
 * request; this DRBG is seeded once, off the loops ({@link #seed()}), and is pure computation after.
 */
final class ReportIds {

    private static final SecureRandom RANDOM = create();

    private ReportIds() {}

    /** Seeds the generator now, on the calling (set-up) thread rather than a request's loop. */
    static void seed() {
        RANDOM.nextBytes(new byte[1]);
    }

    static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }

    private static SecureRandom create() {
        SecureRandom random;
        try {
            random = SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(128, DrbgParameters.Capability.RESEED_ONLY, null));
        } catch (NoSuchAlgorithmException e) {
            random = new SecureRandom();
        }
        random.nextBytes(new byte[1]); // instantiate (and seed) now
        return random;
    }
}
