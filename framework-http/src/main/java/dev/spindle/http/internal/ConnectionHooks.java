package dev.spindle.http.internal;

import dev.spindle.core.WorkerPool;
import dev.spindle.http.AttributeKey;
import dev.spindle.http.Context;
import java.util.Optional;

/** Where the WebSocket and SSE endpoints reach into a request's connection; kept small on purpose. */
public final class ConnectionHooks {

    private static final AttributeKey<ConnectionUpgrade> UPGRADE = AttributeKey.of("spindle.upgrade");

    private ConnectionHooks() {}

    /** Asks for {@code upgrade} to take the connection over once the request is answered 101. */
    public static void requestUpgrade(Context ctx, ConnectionUpgrade upgrade) {
        ctx.attribute(UPGRADE, upgrade);
    }

    static Optional<ConnectionUpgrade> upgrade(Context ctx) {
        return ctx.attribute(UPGRADE);
    }

    /** The registry of long-lived connections of the server that received {@code ctx}. */
    public static LongLivedConnections longLived(Context ctx) {
        return server(ctx).longLived;
    }

    /** The server's CPU offload pool (for work of a socket, which outlives its request's deadline). */
    public static WorkerPool offloadPool(Context ctx) {
        return server(ctx).offload;
    }

    /** The server's blocking-I/O pool. */
    public static WorkerPool blockingPool(Context ctx) {
        return server(ctx).blocking;
    }

    /** The event loop of the connection that received {@code ctx} (its executor wraps it for the request). */
    public static io.netty.util.concurrent.EventExecutor loop(Context ctx) {
        return context(ctx).loop();
    }

    private static ServerContext server(Context ctx) {
        return context(ctx).server();
    }

    private static DefaultContext context(Context ctx) {
        if (!(ctx instanceof DefaultContext context)) {
            throw new IllegalStateException("Not a request context of a Spindle server: " + ctx.getClass().getName());
        }
        return context;
    }
}
