package dev.spindle.http.internal.files;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the decoded rest of a request path into the segments of a file below the root, refusing
 * anything that could leave it or reach what should stay private: {@code .} and {@code ..}
 * segments (however they were encoded, since this sees the decoded form), empty segments,
 * backslashes, NUL and other control characters, drive letters, and, unless allowed, names
 * starting with a dot ({@code .env}, {@code .git}).
 */
public final class RequestPaths {

    private RequestPaths() {}

    /**
     * The segments of {@code rest} (empty for the root itself; a trailing {@code /} asks for a
     * directory and adds an empty last segment), or empty when the path is refused.
     */
    public static Optional<List<String>> segments(String rest, boolean allowHidden) {
        List<String> segments = new ArrayList<>();
        if (rest.isEmpty()) {
            return Optional.of(segments);
        }
        String path = rest.startsWith("/") ? rest.substring(1) : rest;
        String[] parts = path.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.isEmpty() && last && i > 0) {
                segments.add("");
                continue;
            }
            if (!safe(part, allowHidden)) {
                return Optional.empty();
            }
            segments.add(part);
        }
        return Optional.of(segments);
    }

    private static boolean safe(String segment, boolean allowHidden) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            return false;
        }
        if (segment.charAt(0) == '.' && !allowHidden) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') {
                return false;
            }
        }
        return true;
    }

    /** Whether the segments name a directory (a trailing {@code /}, or the root). */
    public static boolean isDirectory(List<String> segments) {
        return segments.isEmpty() || segments.get(segments.size() - 1).isEmpty();
    }

    /** The segments joined with {@code /}, without a trailing empty segment. */
    public static String join(List<String> segments) {
        return String.join("/", isDirectory(segments) && !segments.isEmpty()
                ? segments.subList(0, segments.size() - 1) : segments);
    }
}
