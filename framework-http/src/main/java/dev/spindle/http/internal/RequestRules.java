package dev.spindle.http.internal;

import io.netty.handler.codec.http.HttpRequest;

/** Strict checks of a request head (RFC 9110 and 9112) before routing. */
final class RequestRules {

    private RequestRules() {}

    /** What is wrong with the head, or null when nothing is. */
    static String check(HttpRequest request) {
        if (!RequestTargets.isOriginForm(request.uri())) {
            return "The request target must be an absolute path such as /users?page=2";
        }
        return null;
    }

    /** The origin-form ({@code /path?query}) of a target that passed {@link #check}. */
    static String originForm(String target) {
        return target;
    }
}
