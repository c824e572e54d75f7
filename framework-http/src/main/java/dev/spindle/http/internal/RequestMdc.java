package dev.spindle.http.internal;

import org.slf4j.MDC;

/**
 * Puts the request id in the SLF4J MDC while request code runs. Leaving sets the key to
 * {@code "-"} instead of removing it: on an event loop the next request then overwrites the
 * value in place, where removing and putting again would allocate a map entry per request.
 */
final class RequestMdc {

    /** The MDC key; logback's JSON encoder prints it under {@code mdc.requestId}. */
    static final String KEY = "requestId";
    private static final String NONE = "-";

    private RequestMdc() {}

    static void enter(String requestId) {
        MDC.put(KEY, requestId);
    }

    static void exit() {
        MDC.put(KEY, NONE);
    }
}
