package dev.spindle.http.internal;

/** Strict checks of the request target before routing. */
final class RequestTargets {

    private RequestTargets() {}

    /**
     * Whether the target is origin-form ({@code /path?query}) of visible ASCII: absolute-form,
     * asterisk-form and raw non-ASCII bytes are refused rather than guessed at.
     */
    static boolean isOriginForm(String target) {
        if (target.isEmpty() || target.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 127) {
                return false;
            }
        }
        return true;
    }
}
