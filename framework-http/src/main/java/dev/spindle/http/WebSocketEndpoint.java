package dev.spindle.http;

/**
 * Sets up one WebSocket once its upgrade was accepted (the route's middleware ran and let it
 * through): registers the listeners and may start sending. Runs on the connection's event loop,
 * like every listener of the socket, so it must not block.
 *
 * <pre>{@code
 * app.websocket("/echo", ws -> ws.onText(ws::send));
 * }</pre>
 */
@FunctionalInterface
public interface WebSocketEndpoint {

    /** Called once per accepted socket, before any message of it is delivered. An exception closes it with 1011. */
    void open(WebSocket socket) throws Exception;
}
