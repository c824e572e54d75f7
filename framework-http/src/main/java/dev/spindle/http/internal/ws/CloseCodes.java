package dev.spindle.http.internal.ws;

/** The close codes an endpoint may send (RFC 6455 section 7.4). */
final class CloseCodes {

    private CloseCodes() {}

    static void checkSendable(int code) {
        boolean reserved = code == 1004 || code == 1005 || code == 1006 || code == 1015;
        if (code >= 1000 && code <= 1014 && !reserved || code >= 3000 && code <= 4999) {
            return;
        }
        throw new IllegalArgumentException("code: " + code + " (expected: 1000-1003, 1007-1014 or 3000-4999)");
    }
}
