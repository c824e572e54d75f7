package dev.spindle.sample.demo;

import dev.spindle.http.Response;
import dev.spindle.http.Routes;
import dev.spindle.sample.images.AvatarRoutes;
import dev.spindle.sample.images.Thumbnails;

/**
 * DEMO ONLY, DO NOT COPY: {@code POST /demo/inline/avatars} makes the same thumbnail as
 * {@code POST /api/v1/avatars}, but on the event loop. While it scales a photo, every other
 * connection of that loop waits: watch the loop's lag in {@code spindle_eventloop_lag_seconds}
 * (and the SpindleEventLoopLagHigh alert), and, past 100 ms, the blocked-loop WARN in the log
 * with this class in the stack and {@code spindle_eventloop_blocked_total}. Turned off with
 * {@code sample.demo-routes=false} (the Kubernetes manifests do).
 */
public final class InlineDemoRoutes {

    private InlineDemoRoutes() {}

    /** Declares the demo routes on {@code app}. */
    public static void declare(Routes app) {
        app.group("/demo", demo -> demo.post("/inline/avatars", AvatarRoutes.uploadOptions(), ctx -> {
            int size = AvatarRoutes.size(ctx);
            // The mistake on purpose: CPU-heavy work straight on the event loop.
            byte[] thumbnail = Thumbnails.square(ctx.body(), size);
            return AvatarRoutes.png(thumbnail).header("X-Demo", "inline on the event loop").completed();
        }));
    }
}
