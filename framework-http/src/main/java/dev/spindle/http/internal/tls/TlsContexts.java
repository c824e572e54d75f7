package dev.spindle.http.internal.tls;

import dev.spindle.core.ConfigException;
import dev.spindle.http.TlsSettings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds the server's {@link SslContext}s, all alike but for the key material: one engine, TLS 1.2
 * and 1.3 only, modern cipher suites, and the ALPN protocols offered (HTTP/2 adds {@code h2} here).
 */
final class TlsContexts {

    /** Mozilla's "intermediate" suites: AEAD ciphers with forward secrecy, all allowed for HTTP/2. */
    static final List<String> MODERN_CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslProvider provider;
    private final String engine;
    private final List<String> ciphers;
    private final List<String> alpn;

    private TlsContexts(SslProvider provider, String engine, List<String> ciphers, List<String> alpn) {
        this.provider = provider;
        this.engine = engine;
        this.ciphers = List.copyOf(ciphers);
        this.alpn = List.copyOf(alpn);
    }

    /**
     * Contexts on the chosen engine offering {@code alpn} (most preferred first); loads OpenSSL's
     * native library on first use, so call it at start-up rather than on an event loop.
     */
    static TlsContexts create(TlsSettings.Engine choice, List<String> ciphers, List<String> alpn) {
        if (choice == TlsSettings.Engine.JDK) {
            return new TlsContexts(SslProvider.JDK, "JDK (configured)", ciphers, alpn);
        }
        if (OpenSsl.isAvailable()) {
            return new TlsContexts(SslProvider.OPENSSL, "OpenSSL (" + OpenSsl.versionString() + ")", ciphers, alpn);
        }
        if (choice == TlsSettings.Engine.OPENSSL) {
            throw new ConfigException(TlsSettings.ENGINE.key() + "=openssl, but OpenSSL does not load here: "
                    + OpenSsl.unavailabilityCause());
        }
        return new TlsContexts(SslProvider.JDK, "JDK (OpenSSL unavailable: " + OpenSsl.unavailabilityCause() + ")",
                ciphers, alpn);
    }

    /** HTTP/1.1 only. */
    static List<String> http1() {
        return List.of(ApplicationProtocolNames.HTTP_1_1);
    }

    /** HTTP/2 preferred, HTTP/1.1 for the clients that do not speak it. */
    static List<String> http2() {
        return List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    }

    /** The engine, for the start-up log, e.g. {@code OpenSSL (BoringSSL)}. */
    String engine() {
        return engine;
    }

    /** A server context for {@code material}; fails when none of the configured cipher suites is supported. */
    SslContext build(KeyMaterial material) throws SSLException {
        SslContext context = SslContextBuilder.forServer(material.key(), material.chain())
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn))
                .build();
        if (context.cipherSuites().isEmpty()) {
            throw new SSLException("none of the cipher suites " + ciphers + " is supported by " + engine);
        }
        return context;
    }
}
