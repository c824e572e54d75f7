package dev.spindle.state.internal;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Session ids: 256 bits from a {@link SecureRandom}, base64url without padding (43 characters).
 * The generator is a DRBG seeded once, by {@link #seed()} at set-up, off the event loop;
 * generating ids afterwards is pure computation and never reads the entropy device on a loop.
 */
public final class SessionIds {

    /** Length of an id in characters. */
    public static final int LENGTH = 43;

    private static final SecureRandom RANDOM = create();

    private SessionIds() {}

    /**
     * Seeds the generator now, on the calling (set-up) thread. Class initialisation would
     * otherwise happen on the first request's event loop and read the entropy device there.
     */
    public static void seed() {
        RANDOM.nextBytes(new byte[1]);
    }

    /** A new random id. */
    public static String next() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code id} has the form of an id (length and alphabet); says nothing of its existence. */
    public static boolean wellFormed(String id) {
        if (id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static SecureRandom create() {
        try {
            SecureRandom random = SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
            random.nextBytes(new byte[1]); // instantiate (and seed) now
            return random;
        } catch (NoSuchAlgorithmException e) {
            SecureRandom random = new SecureRandom();
            random.nextBytes(new byte[1]);
            return random;
        }
    }
}
