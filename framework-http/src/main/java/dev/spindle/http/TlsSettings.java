package dev.spindle.http;

import dev.spindle.core.Setting;
import dev.spindle.core.spi.SettingsProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of HTTPS. TLS is on as soon as a certificate is configured — a PEM chain and key, a
 * PKCS#12 keystore, or {@code server.tls.self-signed=true} for development — and then
 * {@code server.port} serves HTTPS only (TLS 1.2 and 1.3, modern cipher suites).
 *
 * <pre>{@code
 * server.port=8443
 * server.tls.certificate=/etc/tls/tls.crt
 * server.tls.private-key=/etc/tls/tls.key
 * server.tls.redirect=true   # http://host:8080/x answers 308 to https://host:8443/x
 * }</pre>
 */
public final class TlsSettings implements SettingsProvider {

    /** Which TLS implementation serves the handshakes. */
    public enum Engine {
        /** OpenSSL (BoringSSL, from netty-tcnative) when it loads on this platform, the JDK's otherwise. */
        AUTO,
        /** OpenSSL only: start-up fails when it does not load. */
        OPENSSL,
        /** The JDK's own TLS implementation. */
        JDK
    }

    /** PEM file with the certificate chain, leaf first (what cert-manager and Let's Encrypt write). */
    public static final Setting<Optional<String>> CERTIFICATE = Setting.optionalString("server.tls.certificate");
    /** PEM file with the PKCS#8 private key of {@link #CERTIFICATE}. */
    public static final Setting<Optional<String>> PRIVATE_KEY = Setting.optionalString("server.tls.private-key");
    /** Password of an encrypted {@link #PRIVATE_KEY}. */
    public static final Setting<Optional<String>> PRIVATE_KEY_PASSWORD =
            Setting.optionalString("server.tls.private-key-password");
    /** PKCS#12 keystore holding the key and its chain, instead of the PEM files. */
    public static final Setting<Optional<String>> KEYSTORE = Setting.optionalString("server.tls.keystore");
    /** Password of {@link #KEYSTORE}, also used for its key entry. */
    public static final Setting<Optional<String>> KEYSTORE_PASSWORD = Setting.optionalString("server.tls.keystore-password");
    /** A certificate for {@code localhost} generated at start-up; for development only, never the default. */
    public static final Setting<Boolean> SELF_SIGNED = Setting.bool("server.tls.self-signed", false);
    /** The TLS implementation. */
    public static final Setting<Engine> ENGINE = Setting.oneOf("server.tls.engine", Engine.class, Engine.AUTO);
    /** Comma-separated cipher suites replacing the modern default (AEAD with forward secrecy only). */
    public static final Setting<Optional<String>> CIPHERS = Setting.optionalString("server.tls.ciphers");
    /** Time a client has to complete the handshake; slower connections are closed and counted. */
    public static final Setting<Duration> HANDSHAKE_TIMEOUT =
            Setting.duration("server.tls.handshake-timeout", Duration.ofSeconds(10));
    /** How often the certificate files are checked for a renewal; 0 turns reloading off. */
    public static final Setting<Duration> RELOAD_INTERVAL =
            Setting.duration("server.tls.reload-interval", Duration.ofSeconds(10));
    /** {@code max-age} of the {@code Strict-Transport-Security} header on HTTPS responses; 0 sends none. */
    public static final Setting<Duration> HSTS = Setting.duration("server.tls.hsts", Duration.ZERO);
    /** Whether the HSTS header covers subdomains too. */
    public static final Setting<Boolean> HSTS_INCLUDE_SUBDOMAINS = Setting.bool("server.tls.hsts-include-subdomains", false);
    /** Whether a cleartext listener answers every request with 308 to the same URL over HTTPS. */
    public static final Setting<Boolean> REDIRECT = Setting.bool("server.tls.redirect", false);
    /** Port of the redirecting cleartext listener; 0 picks a free port. */
    public static final Setting<Integer> REDIRECT_PORT = Setting.integer("server.tls.redirect-port", 8080, 0, 65535);
    /** HTTPS port written in redirects (when a proxy or NAT maps it); 0 means {@code server.port} as bound. */
    public static final Setting<Integer> REDIRECT_TO_PORT = Setting.integer("server.tls.redirect-to-port", 0, 0, 65535);

    @Override
    public List<Setting<?>> settings() {
        return List.of(CERTIFICATE, PRIVATE_KEY, PRIVATE_KEY_PASSWORD, KEYSTORE, KEYSTORE_PASSWORD, SELF_SIGNED, ENGINE,
                CIPHERS, HANDSHAKE_TIMEOUT, RELOAD_INTERVAL, HSTS, HSTS_INCLUDE_SUBDOMAINS, REDIRECT, REDIRECT_PORT,
                REDIRECT_TO_PORT);
    }
}
