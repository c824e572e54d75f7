package dev.spindle.http.internal;

import dev.spindle.http.Method;
import io.netty.handler.codec.http.HttpMethod;

/** Maps Netty's method objects (interned for the standard ones) to {@link Method}. */
final class Methods {

    private Methods() {}

    /** The method, or null for one Spindle does not route (TRACE, CONNECT, extensions). */
    static Method of(HttpMethod method) {
        if (method == HttpMethod.GET) {
            return Method.GET;
        }
        if (method == HttpMethod.POST) {
            return Method.POST;
        }
        if (method == HttpMethod.HEAD) {
            return Method.HEAD;
        }
        if (method == HttpMethod.PUT) {
            return Method.PUT;
        }
        if (method == HttpMethod.DELETE) {
            return Method.DELETE;
        }
        if (method == HttpMethod.PATCH) {
            return Method.PATCH;
        }
        if (method == HttpMethod.OPTIONS) {
            return Method.OPTIONS;
        }
        return null;
    }
}
