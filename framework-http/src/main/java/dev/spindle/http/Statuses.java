package dev.spindle.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Reason phrases of the status codes, for problem titles: Netty's, with the names RFC 9110 changed. */
final class Statuses {

    private Statuses() {}

    static String reason(int status) {
        return switch (status) {
            case 413 -> "Content Too Large";
            case 416 -> "Range Not Satisfiable";
            case 422 -> "Unprocessable Content";
            default -> HttpResponseStatus.valueOf(status).reasonPhrase();
        };
    }
}
