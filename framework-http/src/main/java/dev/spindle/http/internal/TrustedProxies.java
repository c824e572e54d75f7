package dev.spindle.http.internal;

import dev.spindle.core.ConfigException;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which peers may say who the client is ({@code http.trusted-proxies}): CIDRs such as
 * {@code 10.0.0.0/8}, single addresses, and the words {@code loopback} and {@code private}. Only
 * when the peer is one of them are {@code Forwarded} / {@code X-Forwarded-For} and
 * {@code X-Forwarded-Proto} read, right to left, skipping further trusted hops; anyone else could
 * write any address there, so for them the peer is the client.
 */
public final class TrustedProxies {

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<IpSubnetFilterRule> rules;

    private TrustedProxies(List<IpSubnetFilterRule> rules) {
        this.rules = rules;
    }

    /** Parses a comma-separated list; a bad entry fails start-up naming {@code key}. */
    public static TrustedProxies parse(String key, Optional<String> value) {
        if (value.isEmpty()) {
            return NONE;
        }
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String raw : value.get().split(",")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            switch (entry) {
                case "" -> { }
                case "loopback" -> {
                    rules.add(rule(key, "127.0.0.0/8"));
                    rules.add(rule(key, "::1/128"));
                }
                case "private" -> {
                    for (String cidr : new String[] {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"}) {
                        rules.add(rule(key, cidr));
                    }
                }
                default -> rules.add(rule(key, entry));
            }
        }
        return new TrustedProxies(List.copyOf(rules));
    }

    private static IpSubnetFilterRule rule(String key, String entry) {
        int slash = entry.indexOf('/');
        String ip = slash < 0 ? entry : entry.substring(0, slash);
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(ip);
        int max = address == null ? 0 : address.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (address == null || prefix < 0 || prefix > max) {
            throw new ConfigException(key + ": '" + entry + "' (expected: comma-separated IP addresses or CIDRs such as "
                    + "10.0.0.0/8, or the words loopback and private)");
        }
        return new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT);
    }

    /** Whether any proxy is trusted at all. */
    public boolean any() {
        return !rules.isEmpty();
    }

    /** Whether {@code address} is a trusted proxy. */
    public boolean trusts(InetAddress address) {
        if (rules.isEmpty()) {
            return false;
        }
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        for (IpSubnetFilterRule rule : rules) {
            if (rule.matches(socket)) {
                return true;
            }
        }
        return false;
    }

    /** The client's address and scheme for a request from {@code peer} with {@code headers}. */
    public ClientOrigin resolve(InetAddress peer, String connectionScheme, HttpHeaders headers) {
        if (!trusts(peer)) {
            return new ClientOrigin(peer, connectionScheme);
        }
        return ForwardedChain.of(headers).resolve(peer, connectionScheme, this);
    }

    /** Who the client is, as far as the trusted hops tell. */
    public record ClientOrigin(InetAddress address, String scheme) {}
}
