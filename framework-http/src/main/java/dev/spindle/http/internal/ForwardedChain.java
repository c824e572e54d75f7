package dev.spindle.http.internal;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hops a request passed through, as proxies reported them: RFC 7239 {@code Forwarded} when
 * present, otherwise {@code X-Forwarded-For} with {@code X-Forwarded-Proto}. Read right to left
 * (nearest hop first), trusting each hop only as far as {@link TrustedProxies} says.
 */
final class ForwardedChain {

    private static final int MAX_HOPS = 32;

    /** One hop: the address it forwarded for (raw) and the scheme that hop received, if known. */
    private record Hop(String forValue, String proto) {}

    private final List<Hop> hops;

    private ForwardedChain(List<Hop> hops) {
        this.hops = hops;
    }

    static ForwardedChain of(HttpHeaders headers) {
        List<String> forwarded = headers.getAll("Forwarded");
        List<Hop> hops = new ArrayList<>();
        if (!forwarded.isEmpty()) {
            for (String header : forwarded) {
                for (String element : split(header, ',')) {
                    hops.add(element(element));
                }
            }
        } else {
            List<String> addresses = new ArrayList<>();
            headers.getAll("X-Forwarded-For").forEach(value -> addresses.addAll(split(value, ',')));
            List<String> protos = new ArrayList<>();
            headers.getAll("X-Forwarded-Proto").forEach(value -> protos.addAll(split(value, ',')));
            boolean perHop = protos.size() == addresses.size();
            for (int i = 0; i < addresses.size(); i++) {
                String proto = perHop ? protos.get(i)
                        : i == addresses.size() - 1 && !protos.isEmpty() ? protos.get(protos.size() - 1) : null;
                hops.add(new Hop(addresses.get(i), proto));
            }
            if (addresses.isEmpty() && !protos.isEmpty()) {
                hops.add(new Hop("", protos.get(protos.size() - 1)));
            }
        }
        return new ForwardedChain(hops.size() > MAX_HOPS ? hops.subList(hops.size() - MAX_HOPS, hops.size()) : hops);
    }

    /**
     * Walks from the hop the trusted {@code peer} reported towards the client, stopping at the first
     * address that is not a trusted proxy (the client) or that is not an address at all
     * ({@code unknown}, obfuscated), in which case the last trusted hop is the best answer.
     */
    TrustedProxies.ClientOrigin resolve(InetAddress peer, String connectionScheme, TrustedProxies trusted) {
        InetAddress client = peer;
        String scheme = connectionScheme;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Hop hop = hops.get(i);
            String proto = scheme(hop.proto());
            if (proto != null) {
                scheme = proto;
            }
            InetAddress address = address(hop.forValue());
            if (address == null) {
                break;
            }
            client = address;
            if (!trusted.trusts(address)) {
                break;
            }
        }
        return new TrustedProxies.ClientOrigin(client, scheme);
    }

    private static Hop element(String element) {
        String forValue = null;
        String proto = null;
        for (String pair : split(element, ';')) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String name = pair.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            String value = unquote(pair.substring(equals + 1).trim());
            if (name.equals("for")) {
                forValue = value;
            } else if (name.equals("proto")) {
                proto = value;
            }
        }
        return new Hop(forValue == null ? "" : forValue, proto);
    }

    /** An IP literal, optionally bracketed and with a port; null for anything else. */
    static InetAddress address(String raw) {
        String value = unquote(raw.trim());
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            value = close < 0 ? "" : value.substring(1, close);
        } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            value = value.substring(0, value.indexOf(':'));
        }
        return value.isEmpty() ? null : NetUtil.createInetAddressFromIpAddressString(value);
    }

    private static String scheme(String proto) {
        if (proto == null) {
            return null;
        }
        String value = proto.trim().toLowerCase(Locale.ROOT);
        return value.equals("http") || value.equals("https") ? value : null;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"'
                ? value.substring(1, value.length() - 1) : value;
    }

    /** Splits on {@code separator} outside double quotes, trimming and dropping empty parts. */
    private static List<String> split(String value, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : separator;
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && (!quoted || i == value.length())) {
                String part = value.substring(start, i).trim();
                if (!part.isEmpty()) {
                    parts.add(part);
                }
                start = i + 1;
            }
        }
        return parts;
    }
}
