package dev.spindle.core;

import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What each event loop is running right now, so the blocked-loop detector can name the route
 * and request id when a loop stalls. The request scope marks entry and exit around request code;
 * writes are release-stores into a per-loop slot (no allocation, no fence on x86), read by the
 * watchdog thread only when a loop has stalled.
 */
public final class LoopActivity {

    private static final FastThreadLocal<LoopActivity> CURRENT = new FastThreadLocal<>();
    private static final VarHandle ROUTE;
    private static final VarHandle REQUEST_ID;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ROUTE = lookup.findVarHandle(LoopActivity.class, "route", String.class);
            REQUEST_ID = lookup.findVarHandle(LoopActivity.class, "requestId", String.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through ROUTE
    private String route;
    @SuppressWarnings("unused") // accessed through REQUEST_ID
    private String requestId;

    LoopActivity() {}

    /** Binds a slot to the calling loop thread; called once per loop by the monitor. */
    static void bind(LoopActivity activity) {
        CURRENT.set(activity);
    }

    /** Marks that the calling loop runs {@code route} for {@code requestId}; a no-op off the loops. */
    public static void enter(String route, String requestId) {
        LoopActivity activity = CURRENT.getIfExists();
        if (activity != null) {
            ROUTE.setRelease(activity, route);
            REQUEST_ID.setRelease(activity, requestId);
        }
    }

    /** Marks that the calling loop left request code. */
    public static void exit() {
        LoopActivity activity = CURRENT.getIfExists();
        if (activity != null) {
            ROUTE.setRelease(activity, (String) null);
            REQUEST_ID.setRelease(activity, (String) null);
        }
    }

    String route() {
        return (String) ROUTE.getAcquire(this);
    }

    String requestId() {
        return (String) REQUEST_ID.getAcquire(this);
    }
}
