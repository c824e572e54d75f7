package dev.spindle.http.internal;

import dev.spindle.core.WorkerPool;
import dev.spindle.http.AttributeKey;
import dev.spindle.http.Context;
import dev.spindle.http.Response;
import java.util.Optional;

/** Where the WebSocket and SSE endpoints reach into a request's connection; kept small on purpose. */
public final class ConnectionHooks {

    private static final AttributeKey<ConnectionUpgrade> UPGRADE = AttributeKey.of("spindle.upgrade");

    private ConnectionHooks() {}

    /**
     * The answer of a route that switches protocols: final statuses only pass through middleware,
     * so it is a 200 that carries {@code Upgrade}; the connection writes the real 101 instead. A
     * middleware that answers otherwise (401, 403) drops the header and so cancels the switch.
     */
    private static final Response SWITCH = Response.empty(200).header("Upgrade", "websocket");

    /** Asks for {@code upgrade} to take the connection over; the route then answers {@link #switchAnswer()}. */
    public static void requestUpgrade(Context ctx, ConnectionUpgrade upgrade) {
        ctx.attribute(UPGRADE, upgrade);
    }

    /** What a route that asked for an upgrade answers. */
    public static Response switchAnswer() {
        return SWITCH;
    }

    /** The upgrade to run instead of writing {@code response}, if the route asked for one and the answer is still its. */
    static Optional<ConnectionUpgrade> upgrade(Context ctx, Response response) {
        if (response.status() != 200 || response.header("Upgrade").isEmpty()) {
            return Optional.empty();
        }
        return ctx.attribute(UPGRADE);
    }

    /** The registry of long-lived connections of the server that received {@code ctx}. */
    public static LongLivedConnections longLived(Context ctx) {
        return server(ctx).longLived;
    }

    /**
     * The event loop of the connection that received {@code ctx} (its {@link Context#executor()} is
     * the request's, which carries the request's logging context; a stream outlives that).
     */
    public static io.netty.util.concurrent.EventExecutor eventLoop(Context ctx) {
        if (!(ctx instanceof DefaultContext context)) {
            throw new IllegalStateException("Not a request context of a Spindle server: " + ctx.getClass().getName());
        }
        return context.channel().eventLoop();
    }

    /** The server's CPU offload pool (for work of a socket, which outlives its request's deadline). */
    public static WorkerPool offloadPool(Context ctx) {
        return server(ctx).offload;
    }

    /** The server's blocking-I/O pool. */
    public static WorkerPool blockingPool(Context ctx) {
        return server(ctx).blocking;
    }

    private static ServerContext server(Context ctx) {
        if (!(ctx instanceof DefaultContext context)) {
            throw new IllegalStateException("Not a request context of a Spindle server: " + ctx.getClass().getName());
        }
        return context.server();
    }
}
