package dev.spindle.http.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The hook by which a route takes a connection over from HTTP (a WebSocket): its handler asks for
 * it with {@link ConnectionHooks#requestUpgrade} and answers 101; once that answer has come back
 * through the route's middleware, the connection stops serving HTTP (the request is recorded as
 * 101, the HTTP timers and dispatcher leave the pipeline) and {@link #takeOver} installs the new
 * protocol. A middleware that answers anything but 101 (401, 403) cancels the upgrade.
 */
public interface ConnectionUpgrade {

    /**
     * Called on the connection's loop with the HTTP codec still in place; must write the 101
     * response with {@code responseHeaders} (what middleware set: cookies, ...) and install its
     * handlers. {@code longLived} is the server's registry of connections graceful shutdown drains.
     */
    void takeOver(Channel channel, HttpRequest request, HttpHeaders responseHeaders, LongLivedConnections longLived);
}
