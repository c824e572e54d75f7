package dev.spindle.http.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: the caller's {@code X-Request-Id} when it is sane (1-128 visible characters from a
 * safe set, so it cannot inject into logs or headers), otherwise 16 random hex digits.
 */
final class RequestIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {}

    static String fromHeaderOrNew(String header) {
        return header != null && isSane(header) ? header : generate();
    }

    static String generate() {
        long bits = ThreadLocalRandom.current().nextLong();
        char[] chars = new char[16];
        for (int i = 15; i >= 0; i--) {
            chars[i] = HEX[(int) (bits & 0xF)];
            bits >>>= 4;
        }
        return new String(chars);
    }

    static boolean isSane(String id) {
        int length = id.length();
        if (length == 0 || length > 128) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '=' || c == '/' || c == '@';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
