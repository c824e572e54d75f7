package dev.spindle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ConfigException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private static final InetAddress PROXY = ip("10.0.0.5");
    private static final TrustedProxies PRIVATE = TrustedProxies.parse("http.trusted-proxies", Optional.of("private"));

    private static InetAddress ip(String literal) {
        return NetUtil.createInetAddressFromIpAddressString(literal);
    }

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    @Test
    void untrustedPeerIsTheClientWhateverItClaims() {
        InetAddress peer = ip("203.0.113.9");
        TrustedProxies.ClientOrigin origin = PRIVATE.resolve(peer, "http",
                headers("X-Forwarded-For", "1.2.3.4", "X-Forwarded-Proto", "https"));

        assertThat(origin.address()).isEqualTo(peer);
        assertThat(origin.scheme()).isEqualTo("http");
    }

    @Test
    void nothingIsTrustedByDefault() {
        TrustedProxies none = TrustedProxies.parse("http.trusted-proxies", Optional.empty());

        assertThat(none.resolve(PROXY, "http", headers("X-Forwarded-For", "1.2.3.4")).address()).isEqualTo(PROXY);
    }

    @Test
    void walksXForwardedForRightToLeftPastTrustedHops() {
        // A client-supplied left part ("6.6.6.6") must not win: the first untrusted hop from the right is the client.
        TrustedProxies.ClientOrigin origin = PRIVATE.resolve(PROXY, "http",
                headers("X-Forwarded-For", "6.6.6.6, 198.51.100.7", "X-Forwarded-For", "10.1.1.1",
                        "X-Forwarded-Proto", "https"));

        assertThat(origin.address()).isEqualTo(ip("198.51.100.7"));
        assertThat(origin.scheme()).isEqualTo("https");
    }

    @Test
    void readsRfc7239ForwardedWithQuotedIpv6AndPorts() {
        TrustedProxies.ClientOrigin origin = PRIVATE.resolve(PROXY, "http",
                headers("Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=\"10.2.2.2:8080\";proto=http"));

        assertThat(origin.address()).isEqualTo(ip("2001:db8:cafe::17"));
        assertThat(origin.scheme()).isEqualTo("https");
    }

    @Test
    void stopsAtAnUnknownHopAndKeepsTheLastTrustedOne() {
        TrustedProxies.ClientOrigin origin = PRIVATE.resolve(PROXY, "http",
                headers("Forwarded", "for=198.51.100.1, for=unknown, for=10.3.3.3"));

        assertThat(origin.address()).isEqualTo(ip("10.3.3.3"));
    }

    @Test
    void everyHopTrustedMeansTheLeftmostIsTheClient() {
        TrustedProxies.ClientOrigin origin = PRIVATE.resolve(PROXY, "http", headers("X-Forwarded-For", "10.9.9.9, 10.8.8.8"));

        assertThat(origin.address()).isEqualTo(ip("10.9.9.9"));
    }

    @Test
    void ignoresSchemesOtherThanHttpAndHttps() {
        TrustedProxies.ClientOrigin origin = PRIVATE.resolve(PROXY, "http",
                headers("X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "javascript"));

        assertThat(origin.scheme()).isEqualTo("http");
    }

    @Test
    void acceptsCidrsAndSingleAddresses() {
        TrustedProxies proxies = TrustedProxies.parse("k", Optional.of("192.0.2.0/24, 2001:db8::1, loopback"));

        assertThat(proxies.trusts(ip("192.0.2.200"))).isTrue();
        assertThat(proxies.trusts(ip("192.0.3.1"))).isFalse();
        assertThat(proxies.trusts(ip("2001:db8::1"))).isTrue();
        assertThat(proxies.trusts(ip("2001:db8::2"))).isFalse();
        assertThat(proxies.trusts(ip("127.0.0.1"))).isTrue();
        assertThat(proxies.trusts(ip("::1"))).isTrue();
    }

    @Test
    void refusesHostNamesAndBadPrefixesAtStartUp() {
        assertThatThrownBy(() -> TrustedProxies.parse("http.trusted-proxies", Optional.of("proxy.internal")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.trusted-proxies: 'proxy.internal'");
        assertThatThrownBy(() -> TrustedProxies.parse("http.trusted-proxies", Optional.of("10.0.0.0/33")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void takesTheSchemeFromATrustedProxyThatSendsNoAddresses() {
        assertThat(PRIVATE.resolve(PROXY, "http", headers("X-Forwarded-Proto", "https")).scheme()).isEqualTo("https");
        assertThat(PRIVATE.resolve(PROXY, "http", headers("X-Forwarded-Proto", "https")).address()).isEqualTo(PROXY);
    }
}
