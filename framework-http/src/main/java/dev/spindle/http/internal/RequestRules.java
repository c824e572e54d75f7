package dev.spindle.http.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Iterator;

/**
 * Strict checks of a request head before routing (RFC 9112 sections 3.2 and 3.3, RFC 9110 7.2):
 * the request target's form and the {@code Host} header. Each failure is a sentence for a 400.
 */
final class RequestRules {

    private RequestRules() {}

    /** What is wrong with the head, or null when nothing is. */
    static String check(HttpRequest request) {
        String target = request.uri();
        if (!isVisibleAscii(target)) {
            return "The request target must be visible ASCII (percent-encode anything else)";
        }
        if (target.indexOf('#') >= 0) {
            return "The request target must not contain a fragment ('#')";
        }
        if (target.isEmpty() || target.charAt(0) != '/') {
            if (isAsterisk(request)) {
                return hostProblem(request);
            }
            String authority = absoluteFormAuthority(target);
            if (authority == null) {
                return "The request target must be an absolute path such as /users?page=2, or an absolute URI";
            }
            if (!isHostAndPort(authority)) {
                return "The authority of the request target is not a valid host[:port]: " + authority;
            }
        }
        return hostProblem(request);
    }

    /**
     * What makes a raw path ambiguous, or null: an encoded {@code /}, {@code \} or NUL (which would
     * let one path parameter span segments, or a file name climb out of its directory), and dot
     * segments ({@code .}, {@code ..}, also percent-encoded), which must never reach a handler. Like
     * Tomcat and Jetty, such paths are refused rather than reinterpreted.
     */
    static String pathProblem(String rawPath) {
        boolean escaped = rawPath.indexOf('%') >= 0;
        if (!escaped && !rawPath.contains("/.")) {
            return null;
        }
        if (escaped) {
            for (int i = rawPath.indexOf('%'); i >= 0 && i + 2 < rawPath.length(); i = rawPath.indexOf('%', i + 1)) {
                char hi = rawPath.charAt(i + 1);
                char lo = Character.toUpperCase(rawPath.charAt(i + 2));
                if (hi == '2' && lo == 'F' || hi == '5' && lo == 'C' || hi == '0' && lo == '0') {
                    return "The path contains an encoded '/', '\\' or NUL (" + rawPath.substring(i, i + 3)
                            + "), which is ambiguous; it is refused";
                }
            }
        }
        int start = 1;
        while (start <= rawPath.length()) {
            int end = rawPath.indexOf('/', start);
            if (end < 0) {
                end = rawPath.length();
            }
            String segment = escaped ? rawPath.substring(start, end).replace("%2e", ".").replace("%2E", ".")
                    : rawPath.substring(start, end);
            if (segment.equals(".") || segment.equals("..")) {
                return "The path contains a dot segment ('" + segment + "'); send the resolved path";
            }
            start = end + 1;
        }
        return null;
    }

    /** {@code OPTIONS *}: a question about the server, not about a resource. */
    static boolean isAsterisk(HttpRequest request) {
        return request.uri().equals("*") && request.method().name().equals("OPTIONS");
    }

    /** The origin-form ({@code /path?query}) of a target that passed {@link #check}: absolute-form loses its scheme and authority. */
    static String originForm(String target) {
        if (!target.isEmpty() && target.charAt(0) == '/') {
            return target;
        }
        int authorityStart = target.indexOf("://") + 3;
        int pathStart = authorityStart;
        while (pathStart < target.length() && target.charAt(pathStart) != '/' && target.charAt(pathStart) != '?') {
            pathStart++;
        }
        String rest = target.substring(pathStart);
        return rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest;
    }

    private static String hostProblem(HttpRequest request) {
        Iterator<String> hosts = request.headers().valueStringIterator(HttpHeaderNames.HOST);
        if (!hosts.hasNext()) {
            return HttpVersion.HTTP_1_1.equals(request.protocolVersion()) ? "An HTTP/1.1 request must have a Host header"
                    : null;
        }
        String host = hosts.next();
        if (hosts.hasNext()) {
            return "A request must have one Host header, not several";
        }
        if (host.isEmpty()) {
            return "The Host header is empty";
        }
        return isHostAndPort(host) ? null : "The Host header is not a valid host[:port]: " + host;
    }

    /** The authority of {@code http://authority/path}, or null when the target is not an http(s) absolute URI. */
    private static String absoluteFormAuthority(String target) {
        int colon = target.indexOf("://");
        if (colon < 0) {
            return null;
        }
        String scheme = target.substring(0, colon);
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            return null;
        }
        int end = colon + 3;
        while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
            end++;
        }
        String authority = target.substring(colon + 3, end);
        return authority.isEmpty() ? null : authority;
    }

    /** RFC 3986 {@code host [ ":" port ]} without userinfo: a reg-name, IPv4, or bracketed IPv6 literal. */
    static boolean isHostAndPort(String value) {
        int portStart;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 3 || !isIpv6(value.substring(1, close))) {
                return false;
            }
            portStart = close + 1;
            if (portStart < value.length() && value.charAt(portStart) != ':') {
                return false;
            }
        } else {
            int colon = value.indexOf(':');
            portStart = colon < 0 ? value.length() : colon;
            if (portStart == 0) {
                return false;
            }
            for (int i = 0; i < portStart; i++) {
                if (!isRegNameChar(value.charAt(i))) {
                    return false;
                }
            }
        }
        if (portStart >= value.length()) {
            return true;
        }
        String port = value.substring(portStart + 1);
        if (port.isEmpty()) {
            return true; // RFC 3986: port = *DIGIT
        }
        if (port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(port) <= 65535;
    }

    private static boolean isIpv6(String address) {
        int colons = 0;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == ':') {
                colons++;
            } else if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.')) {
                return false;
            }
        }
        return colons >= 2 && colons <= 7 && !address.contains(":::");
    }

    /** unreserved / pct-encoded / sub-delims, except ',' (a list is not a host). */
    private static boolean isRegNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~%!$&'()*+;=".indexOf(c) >= 0;
    }

    private static boolean isVisibleAscii(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 127) {
                return false;
            }
        }
        return true;
    }
}
