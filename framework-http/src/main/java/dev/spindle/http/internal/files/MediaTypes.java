package dev.spindle.http.internal.files;

import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;

/**
 * Content types by file name: the JDK's table ({@code content-types.properties}) plus the web
 * formats it lacks; text types get {@code charset=utf-8}; anything unknown is
 * {@code application/octet-stream}, which browsers download rather than render.
 */
public final class MediaTypes {

    private static final Map<String, String> MISSING_FROM_JDK = Map.of(
            "mjs", "text/javascript",
            "wasm", "application/wasm",
            "woff", "font/woff",
            "woff2", "font/woff2",
            "ttf", "font/ttf",
            "otf", "font/otf",
            "ico", "image/x-icon",
            "avif", "image/avif",
            "map", "application/json",
            "webmanifest", "application/manifest+json");

    private MediaTypes() {}

    /** The content type for {@code name}, overridden by {@code custom} (extension to type) where it has one. */
    public static String of(String name, Map<String, String> custom) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        String type = custom.get(extension);
        if (type == null) {
            type = MISSING_FROM_JDK.get(extension);
        }
        if (type == null) {
            type = URLConnection.guessContentTypeFromName("file." + extension);
        }
        if (type == null) {
            return "application/octet-stream";
        }
        boolean text = type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml");
        return text && !type.contains("charset") ? type + "; charset=utf-8" : type;
    }
}
