package dev.spindle.test.loop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** CPU-bound work of a chosen length, the kind a handler must not run on its loop. */
final class CpuWork {

    private CpuWork() {}

    /** Hashes in a loop for {@code millis} of wall time and returns the last digest's first byte. */
    static int hashFor(long millis) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = "spindle".getBytes(StandardCharsets.UTF_8);
            long end = System.nanoTime() + millis * 1_000_000;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1000; i++) {
                    digest = sha.digest(digest);
                }
            }
            return digest[0];
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
