package dev.spindle.sample.images;

import dev.spindle.http.Context;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Routes;
import dev.spindle.validation.InvalidRequestException;

/**
 * {@code POST /avatars?size=128}: upload a picture, get back a square PNG thumbnail for a profile.
 * Decoding and scaling a photo takes tens to hundreds of milliseconds of CPU, so it runs through
 * {@link Context#offload}: the loop that read the upload keeps serving its other connections,
 * and a full pool answers 503 with {@code Retry-After} instead of queueing without bound.
 * ({@code /demo/inline/avatars} in {@code InlineDemoRoutes} does the same on the loop, to show
 * what that costs.)
 */
public final class AvatarRoutes {

    /** Uploads above this size are refused with 413 before they are read whole. */
    public static final long MAX_UPLOAD = 5 * 1024 * 1024;

    static final int DEFAULT_SIZE = 128;

    private AvatarRoutes() {}

    /** Declares {@code POST /avatars} on {@code api}. */
    public static void declare(Routes api) {
        api.post("/avatars", uploadOptions(), ctx -> {
            int size = size(ctx);
            byte[] upload = ctx.body();
            return ctx.offload(() -> Thumbnails.square(upload, size)).thenApply(AvatarRoutes::png);
        });
    }

    /** The routes' upload limit. */
    public static RouteOptions uploadOptions() {
        return RouteOptions.builder().maxBodySize(MAX_UPLOAD).build();
    }

    /** The {@code size} query parameter, 128 by default; a value out of range is a 400 problem. */
    public static int size(Context ctx) {
        int size = ctx.queryParam("size", Integer.class).orElse(DEFAULT_SIZE);
        if (size < Thumbnails.MIN_SIZE || size > Thumbnails.MAX_SIZE) {
            throw InvalidRequestException.of("size", "must be between " + Thumbnails.MIN_SIZE + " and "
                    + Thumbnails.MAX_SIZE);
        }
        return size;
    }

    /** A thumbnail as the answer. */
    public static Response png(byte[] thumbnail) {
        return Response.bytes(thumbnail, "image/png").header("Cache-Control", "no-store");
    }
}
