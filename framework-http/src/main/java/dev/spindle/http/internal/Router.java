package dev.spindle.http.internal;

import dev.spindle.http.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Matches method and path to a route in time that depends on the path's length, not on the
 * number of routes: literal-only templates are one hash lookup, the rest a walk down a segment
 * tree (literal children by hash, then one parameter child, then a trailing wildcard). Built
 * once at start-up and read-only afterwards, so loops share it without locks.
 */
public final class Router {

    private final Node root = new Node();
    private final Map<String, MethodTable> exact = new HashMap<>();
    private final ScopeTree scopes;
    private final RouteEntry rejected;
    private int maxParams;

    /**
     * Creates a router whose unmatched requests get the automatic answers of {@code app} (their
     * handlers already wrapped in the app's middleware) unless a group added with
     * {@link #addScope} covers the path; {@code rejected} labels requests refused before routing.
     */
    Router(ScopeFallbacks app, RouteEntry rejected) {
        this.scopes = new ScopeTree(app);
        this.rejected = rejected;
    }

    /** Lets the group under {@code prefix} answer unmatched requests for paths below it. */
    void addScope(String prefix, ScopeFallbacks fallbacks) {
        scopes.add(prefix, fallbacks);
    }

    RouteMatch rejectedMatch() {
        return rejected.staticMatch();
    }

    /** Adds a route; a second route for the same method and template shape fails. */
    public void add(RouteEntry entry) {
        String template = entry.template();
        List<String> segments = Templates.segments(template);
        Node node = root;
        int params = 0;
        boolean literal = true;
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.equals("*")) {
                if (node.wildcard == null) {
                    node.wildcard = new MethodTable();
                }
                node.wildcard.put(entry);
                params++;
                literal = false;
                node = null;
                break;
            }
            if (Templates.isParam(segment)) {
                if (node.param == null) {
                    node.param = new Node();
                }
                node = node.param;
                params++;
                literal = false;
            } else {
                node = node.literals.computeIfAbsent(segment, s -> new Node());
            }
        }
        if (node != null) {
            if (node.table == null) {
                node.table = new MethodTable();
            }
            node.table.put(entry);
        }
        if (literal) {
            exact.put(template, node.table);
        }
        maxParams = Math.max(maxParams, params);
    }

    /**
     * Routes a request. {@code path} is the raw path (no query); a path with percent-escapes is
     * decoded segment by segment, so an escaped {@code /} never splits a segment.
     */
    public RouteMatch match(Method method, String path) {
        boolean escaped = path.indexOf('%') >= 0;
        if (!escaped) {
            MethodTable table = exact.get(path);
            if (table != null) {
                RouteEntry entry = table.lookup(method);
                if (entry != null) {
                    return entry.staticMatch();
                }
            }
        }
        String[] values = maxParams == 0 ? RouteMatch.NO_VALUES : new String[maxParams];
        RouteMatch found = find(root, method, path, 1, values, 0, escaped);
        if (found != null) {
            return found;
        }
        Set<Method> allowed = EnumSet.noneOf(Method.class);
        RouteEntry[] first = new RouteEntry[1];
        collectAllowed(root, path, 1, escaped, allowed, first);
        if (allowed.isEmpty()) {
            return scopes.find(path, escaped).notFound().staticMatch();
        }
        // 405 and OPTIONS answer for routes that exist: they run in the scope of the first of them.
        String allow = MethodTable.allowHeader(allowed);
        ScopeFallbacks scope = first[0].scope();
        RouteEntry entry = method == Method.OPTIONS ? scope.automaticOptions(allow) : scope.methodNotAllowed(allow);
        return new RouteMatch(entry, RouteMatch.NO_VALUES, allow);
    }

    private RouteMatch find(Node node, Method method, String path, int start, String[] values, int depth,
                            boolean escaped) {
        int end = path.indexOf('/', start);
        boolean last = end < 0;
        if (last) {
            end = path.length();
        }
        String segment = path.substring(start, end);
        String decoded = escaped ? Paths.decodeSegment(segment) : segment;
        Node child = node.literals.get(decoded);
        if (child != null) {
            RouteMatch match = last ? leaf(child.table, method, values) : find(child, method, path, end + 1, values,
                    depth, escaped);
            if (match != null) {
                return match;
            }
        }
        if (node.param != null && !segment.isEmpty()) {
            values[depth] = decoded;
            RouteMatch match = last ? leaf(node.param.table, method, values) : find(node.param, method, path,
                    end + 1, values, depth + 1, escaped);
            if (match != null) {
                return match;
            }
        }
        if (node.wildcard != null) {
            RouteEntry entry = node.wildcard.lookup(method);
            if (entry != null) {
                String rest = path.substring(start);
                values[depth] = escaped ? Paths.decodeSegment(rest) : rest;
                return new RouteMatch(entry, values, null);
            }
        }
        return null;
    }

    private static RouteMatch leaf(MethodTable table, Method method, String[] values) {
        if (table == null) {
            return null;
        }
        RouteEntry entry = table.lookup(method);
        return entry == null ? null : new RouteMatch(entry, values, null);
    }

    private void collectAllowed(Node node, String path, int start, boolean escaped, Set<Method> allowed,
                                RouteEntry[] first) {
        int end = path.indexOf('/', start);
        boolean last = end < 0;
        if (last) {
            end = path.length();
        }
        String segment = path.substring(start, end);
        String decoded = escaped ? Paths.decodeSegment(segment) : segment;
        Node child = node.literals.get(decoded);
        if (child != null) {
            if (last) {
                MethodTable.addAllowed(child.table, allowed, first);
            } else {
                collectAllowed(child, path, end + 1, escaped, allowed, first);
            }
        }
        if (node.param != null && !segment.isEmpty()) {
            if (last) {
                MethodTable.addAllowed(node.param.table, allowed, first);
            } else {
                collectAllowed(node.param, path, end + 1, escaped, allowed, first);
            }
        }
        MethodTable.addAllowed(node.wildcard, allowed, first);
    }

    /** Every routed template with its methods, for the start-up log. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        describe(root, "", lines);
        return lines;
    }

    private void describe(Node node, String prefix, List<String> lines) {
        if (node.table != null) {
            lines.add(node.table.describe());
        }
        if (node.wildcard != null) {
            lines.add(node.wildcard.describe());
        }
        node.literals.forEach((segment, child) -> describe(child, prefix + "/" + segment, lines));
        if (node.param != null) {
            describe(node.param, prefix + "/{}", lines);
        }
    }

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        Node param;
        MethodTable wildcard;
        MethodTable table;
    }

    /** The routes of one template, by method, with HEAD falling back to GET. */
    static final class MethodTable {

        private static final Method[] METHODS = Method.values();
        private final RouteEntry[] byMethod = new RouteEntry[METHODS.length];

        void put(RouteEntry entry) {
            RouteEntry existing = byMethod[entry.method().ordinal()];
            if (existing != null) {
                throw new IllegalStateException("Duplicate route: " + entry.method() + " " + entry.template()
                        + " conflicts with " + existing.method() + " " + existing.template());
            }
            byMethod[entry.method().ordinal()] = entry;
        }

        RouteEntry lookup(Method method) {
            RouteEntry entry = byMethod[method.ordinal()];
            if (entry == null && method == Method.HEAD) {
                entry = byMethod[Method.GET.ordinal()];
            }
            return entry;
        }

        static void addAllowed(MethodTable table, Set<Method> allowed, RouteEntry[] first) {
            if (table == null) {
                return;
            }
            for (RouteEntry entry : table.byMethod) {
                if (entry != null) {
                    allowed.add(entry.method());
                    if (first[0] == null) {
                        first[0] = entry;
                    }
                }
            }
        }

        static String allowHeader(Set<Method> methods) {
            Set<Method> all = EnumSet.copyOf(methods);
            if (all.contains(Method.GET)) {
                all.add(Method.HEAD);
            }
            all.add(Method.OPTIONS);
            StringJoiner joiner = new StringJoiner(", ");
            all.forEach(m -> joiner.add(m.name()));
            return joiner.toString();
        }

        String describe() {
            StringJoiner joiner = new StringJoiner(",");
            String template = null;
            for (RouteEntry entry : byMethod) {
                if (entry != null) {
                    joiner.add(entry.method().name());
                    template = entry.template();
                }
            }
            return joiner + " " + template;
        }
    }
}
