package dev.spindle.http.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the innermost scope (the app or a group) whose prefix covers a path, so a request that
 * matches no route still runs through the middleware of the group it was aimed at. Prefixes may
 * hold parameters ({@code /tenants/{id}}); of two groups with the same prefix the first declared wins.
 */
final class ScopeTree {

    private final Node root = new Node();

    ScopeTree(ScopeFallbacks app) {
        root.fallbacks = app;
    }

    /** Adds the scope of a group declared under {@code prefix} (a template such as {@code /api/v1}). */
    void add(String prefix, ScopeFallbacks fallbacks) {
        Node node = root;
        if (!prefix.isEmpty()) {
            List<String> segments = Templates.segments(prefix);
            for (String segment : segments) {
                node = Templates.isParam(segment)
                        ? (node.param == null ? node.param = new Node() : node.param)
                        : node.literals.computeIfAbsent(segment, s -> new Node());
            }
        }
        if (node.fallbacks == null) {
            node.fallbacks = fallbacks;
        }
    }

    /** The innermost scope covering the raw {@code path}; the app's when no group does. */
    ScopeFallbacks find(String path, boolean escaped) {
        if (root.literals.isEmpty() && root.param == null) {
            return root.fallbacks;
        }
        ScopeFallbacks found = find(root, path, 1, escaped);
        return found == null ? root.fallbacks : found;
    }

    private static ScopeFallbacks find(Node node, String path, int start, boolean escaped) {
        ScopeFallbacks deeper = null;
        if (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String segment = path.substring(start, end);
            if (!segment.isEmpty()) {
                Node literal = node.literals.get(escaped ? Paths.decodeSegment(segment) : segment);
                if (literal != null) {
                    deeper = find(literal, path, end + 1, escaped);
                }
                if (deeper == null && node.param != null) {
                    deeper = find(node.param, path, end + 1, escaped);
                }
            }
        }
        return deeper != null ? deeper : node.fallbacks;
    }

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        Node param;
        ScopeFallbacks fallbacks;
    }
}
