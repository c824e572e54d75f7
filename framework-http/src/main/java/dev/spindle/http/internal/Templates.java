package dev.spindle.http.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Parsing and checking of route templates such as {@code /users/{id}/files/*}. */
public final class Templates {

    private Templates() {}

    /** Joins a group prefix and a template: {@code ("/api", "/users")} is {@code /api/users}. */
    public static String join(String prefix, String template) {
        if (prefix.isEmpty()) {
            return template;
        }
        return template.equals("/") ? prefix : prefix + template;
    }

    /** Checks a group prefix: empty or {@code /x} without trailing slash or parameters. */
    public static String checkPrefix(String prefix) {
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("*"))) {
            throw new IllegalArgumentException("prefix: " + prefix
                    + " (expected: empty or a path like /api, without trailing slash or wildcard)");
        }
        return prefix;
    }

    /** The segments of a valid template; fails with what is wrong otherwise. */
    static List<String> segments(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("template: " + template + " (expected: starts with /)");
        }
        List<String> segments = new ArrayList<>(List.of(template.substring(1).split("/", -1)));
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.equals("*") && i != segments.size() - 1) {
                throw new IllegalArgumentException("template: " + template + " (expected: * only as the last segment)");
            }
            if ((segment.contains("{") || segment.contains("}")) && !isParam(segment)) {
                throw new IllegalArgumentException("template: " + template
                        + " (expected: a parameter fills a whole segment, like {id})");
            }
            if (segment.contains("*") && !segment.equals("*")) {
                throw new IllegalArgumentException("template: " + template + " (expected: * as a whole segment)");
            }
        }
        return segments;
    }

    /** The parameter names in order, with {@code *} for a trailing wildcard; duplicate names fail. */
    public static String[] paramNames(String template) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String segment : segments(template)) {
            String name = segment.equals("*") ? "*" : isParam(segment) ? segment.substring(1, segment.length() - 1) : null;
            if (name != null) {
                if (!name.equals("*") && !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("template: " + template + " (expected: parameter names like {id})");
                }
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("template: " + template + " (expected: distinct parameter names)");
                }
                names.add(name);
            }
        }
        return names.toArray(new String[0]);
    }

    static boolean isParam(String segment) {
        return segment.length() > 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
    }
}
