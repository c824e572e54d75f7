package dev.spindle.http.internal;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/** Stand-in requests for answers to input that never became a usable request. */
final class Requests {

    /** An HTTP/1.1 request with no headers, for rejected input (the answer always closes). */
    static final HttpRequest BAD = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");

    private Requests() {}
}
